/** Colours from VS Code's theme variables, so charts follow light, dark and high-contrast themes. */
export interface ThemeColors {
  foreground: string;
  background: string;
  grid: string;
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
    background: cssVar("--vscode-editor-background", dark ? "#1e1e1e" : "#ffffff"),
    grid: cssVar("--vscode-editorWidget-border", dark ? "#454545" : "#dddddd"),
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's classes; outputs are not re-rendered). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

/** A sentence for screen readers, kept off screen. */
export function accessibleSummary(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "mllab-sr-only";
  p.textContent = text;
  p.setAttribute("style", "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;");
  return p;
}
