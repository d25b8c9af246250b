/** Colours from VS Code's theme variables, so charts follow light, dark and high-contrast themes. */
export interface ThemeColors {
  foreground: string;
  /** Secondary text (tick labels, details). */
  muted: string;
  background: string;
  grid: string;
  /** VS Code's progress bar colour (live progress). */
  accent: string;
  fontFamily: string;
  kind: "light" | "dark" | "high-contrast";
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(): ThemeColors {
  const cls = document.body.classList;
  const kind = cls.contains("vscode-high-contrast") || cls.contains("vscode-high-contrast-light") ? "high-contrast" : cls.contains("vscode-dark") ? "dark" : "light";
  const dark = kind !== "light" && !cls.contains("vscode-high-contrast-light");
  return {
    kind,
    foreground: cssVar("--vscode-editor-foreground", dark ? "#cccccc" : "#333333"),
    muted: cssVar("--vscode-descriptionForeground", dark ? "#a0a0a0" : "#616161"),
    background: cssVar("--vscode-editor-background", dark ? "#1e1e1e" : "#ffffff"),
    grid: cssVar("--vscode-editorWidget-border", dark ? "#454545" : "#dddddd"),
    accent: cssVar("--vscode-progressBar-background", "#0e70c0"),
    fontFamily: cssVar("--vscode-font-family", "system-ui, -apple-system, 'Segoe UI', sans-serif"),
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's classes; outputs are not re-rendered). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

/**
 * A sentence for screen readers, kept off screen. No margins, and positioned inside its view's root (which is
 * `position: relative`), so it never makes the output taller than what it shows.
 */
export function accessibleSummary(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "mllab-sr-only";
  p.textContent = text;
  p.setAttribute("style", "position:absolute;left:0;top:0;width:1px;height:1px;margin:0;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;");
  return p;
}

/** The root element of a view: as wide as the output's content box, never wider, and the summary's anchor. */
export function viewRoot(className: string): HTMLDivElement {
  const root = document.createElement("div");
  root.className = className;
  root.setAttribute("style", "position:relative;display:block;max-width:100%;box-sizing:border-box;");
  return root;
}

/** Width in CSS pixels available to a view's content: its root's width (the output's content box). */
export function availableWidth(root: HTMLElement, fallback = 600): number {
  const w = root.getBoundingClientRect().width;
  return w > 0 ? Math.floor(w) : fallback;
}

/** A heading over a view, in the theme's text colour. */
export function viewTitle(text: string): HTMLElement {
  const title = document.createElement("div");
  title.className = "mllab-title";
  title.setAttribute("style", "font-weight:600;font-size:13px;margin:2px 0 6px;overflow-wrap:anywhere;");
  title.textContent = text;
  return title;
}

export interface LegendItem {
  label: string;
  colour: string;
  /** How the swatch is drawn. */
  kind: "line" | "dashed" | "box" | "dot" | "cross";
}

/** A legend as HTML (wraps on narrow outputs, readable by screen readers and by tests). */
export function legend(items: LegendItem[]): HTMLElement {
  const list = document.createElement("ul");
  list.className = "mllab-legend";
  list.setAttribute("style", "list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 0;padding:0;font-size:12px;");
  for (const item of items) {
    const li = document.createElement("li");
    li.setAttribute("style", "display:inline-flex;align-items:center;gap:6px;");
    const swatch = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    swatch.setAttribute("width", "22");
    swatch.setAttribute("height", "12");
    swatch.setAttribute("aria-hidden", "true");
    const shape = (tag: string, attributes: Record<string, string | number>) => {
      const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
      for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
      swatch.append(node);
    };
    const c = item.colour;
    if (item.kind === "line" || item.kind === "dashed") shape("line", { x1: 1, y1: 6, x2: 21, y2: 6, stroke: c, "stroke-width": 2.5, ...(item.kind === "dashed" ? { "stroke-dasharray": "4 3" } : {}) });
    else if (item.kind === "box") shape("rect", { x: 4, y: 1, width: 14, height: 10, fill: c, "fill-opacity": 0.45 });
    else if (item.kind === "dot") shape("circle", { cx: 11, cy: 6, r: 4, fill: c });
    else shape("path", { d: "M11 1v10M6 6h10", stroke: c, "stroke-width": 2.5 });
    li.append(swatch, item.label);
    list.append(li);
  }
  return list;
}
