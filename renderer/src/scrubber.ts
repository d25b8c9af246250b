/**
 * An iteration scrubber: a play/pause button and a slider over `count` steps, with a status line. Playing steps
 * through every iteration in about three seconds (never faster than one step per 60 ms) and stops at the end.
 */
export interface Scrubber {
  element: HTMLElement;
  readonly index: number;
  set(index: number): void;
  dispose(): void;
}

export function scrubber(count: number, status: (index: number) => string, onChange: (index: number) => void): Scrubber {
  const element = document.createElement("div");
  element.className = "mllab-scrubber";
  element.setAttribute("style", "display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:2px 0 6px;font-size:12px;");
  const play = document.createElement("button");
  play.type = "button";
  play.className = "mllab-play";
  play.setAttribute("style", "min-width:30px;height:24px;padding:0 8px;cursor:pointer;font:inherit;color:var(--vscode-button-foreground, #fff);background:var(--vscode-button-background, #0e639c);border:0;border-radius:2px;");
  const slider = Object.assign(document.createElement("input"), { type: "range", min: "0", max: String(count - 1), step: "1", value: String(count - 1) });
  slider.setAttribute("aria-label", "iteration");
  slider.setAttribute("style", "flex:1 1 160px;min-width:120px;max-width:420px;margin:0;");
  const text = document.createElement("span");
  text.className = "mllab-status";
  text.setAttribute("aria-live", "polite");
  text.setAttribute("style", "font-variant-numeric:tabular-nums;");
  element.append(play, slider, text);

  let timer: ReturnType<typeof setInterval> | undefined;
  const showButton = () => {
    play.textContent = timer ? "❚❚" : "▶";
    play.setAttribute("aria-label", timer ? "pause" : "play through the iterations");
    play.title = play.getAttribute("aria-label")!;
  };
  const set = (index: number) => {
    slider.value = String(Math.max(0, Math.min(count - 1, index)));
    text.textContent = status(Number(slider.value));
    onChange(Number(slider.value));
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    showButton();
  };
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (Number(slider.value) >= count - 1) set(0);
    timer = setInterval(() => {
      const next = Number(slider.value) + 1;
      if (next >= count) return stop();
      set(next);
      if (next >= count - 1) stop();
    }, Math.max(60, 3000 / count));
    showButton();
  });
  slider.addEventListener("input", () => {
    stop();
    set(Number(slider.value));
  });
  showButton();
  text.textContent = status(count - 1);
  return {
    element,
    get index() {
      return Number(slider.value);
    },
    set,
    dispose: stop,
  };
}
