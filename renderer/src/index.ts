import type { ActivationFunction } from "vscode-notebook-renderer";
import { ImageGridData, renderImageGrid } from "./images";
import { Mixture1D, Mixture2D, renderMixture1D, renderMixture2D } from "./mixture";
import { watchTheme } from "./theme";
import { Rendered, renderVegaLite } from "./vega";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const IMAGES = "application/vnd.mllab.images+json";
const MIXTURE = "application/vnd.mllab.mixture+json";

interface Live {
  element: HTMLElement;
  mime: string;
  data: unknown;
  view?: Rendered & { redraw?(): void };
}

/**
 * ML Lab's notebook renderer. VS Code calls renderOutputItem again with the same id and element when an output is
 * updated in place (live fits); each kind redraws without clearing first, so there is no flicker.
 */
export const activate: ActivationFunction = () => {
  const live = new Map<string, Live>();

  const draw = async (entry: Live): Promise<void> => {
    if (entry.mime === VEGA_LITE) {
      entry.view = await renderVegaLite(entry.element, entry.data as Record<string, unknown>, entry.view);
    } else if (entry.mime === IMAGES) {
      entry.view?.dispose();
      entry.view = renderImageGrid(entry.element, entry.data as ImageGridData);
    } else if (entry.mime === MIXTURE) {
      entry.view?.dispose();
      const data = entry.data as Mixture1D | Mixture2D;
      if (data.version !== 1) throw new Error(`unsupported mixture version ${String(data.version)}`);
      entry.view = data.kind === "1d" ? renderMixture1D(entry.element, data) : renderMixture2D(entry.element, data);
    }
  };

  watchTheme(() => {
    for (const entry of live.values()) {
      if (entry.view?.redraw) entry.view.redraw();
      else void draw(entry);
    }
  });

  return {
    async renderOutputItem(item, element) {
      const previous = live.get(item.id);
      const entry: Live = { element, mime: item.mime, data: item.json(), view: previous?.element === element ? previous.view : undefined };
      live.set(item.id, entry);
      try {
        await draw(entry);
      } catch (e) {
        const pre = document.createElement("pre");
        pre.textContent = `ML Lab renderer: ${(e as Error).message}`;
        element.replaceChildren(pre);
      }
    },
    disposeOutputItem(id) {
      const ids = id === undefined ? [...live.keys()] : [id];
      for (const key of ids) {
        live.get(key)?.view?.dispose();
        live.delete(key);
      }
    },
  };
};
