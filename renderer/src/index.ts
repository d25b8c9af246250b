import type { ActivationFunction } from "vscode-notebook-renderer";
import { MIME, PayloadOf } from "../../kernel-lib/src/output-contract";
import { renderImageGrid } from "./images";
import { renderMixture1D } from "./mixture-1d";
import { renderMixture2D } from "./mixture-2d";
import { renderProgress } from "./progress";
import { watchTheme } from "./theme";
import { Rendered, renderVegaLite } from "./vega";

interface Live {
  element: HTMLElement;
  mime: string;
  data: unknown;
  view?: Rendered & { redraw?(): void };
}

/**
 * ML Lab's notebook renderer: one dispatch on the MIME types of the output contract. VS Code calls
 * renderOutputItem again with the same id and element when an output is updated in place (live fits); each kind
 * redraws without clearing first, so there is no flicker.
 */
export const activate: ActivationFunction = () => {
  const live = new Map<string, Live>();

  const draw = async (entry: Live): Promise<void> => {
    if (entry.mime === MIME.vegaLite) {
      entry.view = await renderVegaLite(entry.element, entry.data as PayloadOf[typeof MIME.vegaLite], entry.view);
    } else if (entry.mime === MIME.images) {
      entry.view?.dispose();
      entry.view = renderImageGrid(entry.element, entry.data as PayloadOf[typeof MIME.images]);
    } else if (entry.mime === MIME.mixture) {
      entry.view?.dispose();
      const data = entry.data as PayloadOf[typeof MIME.mixture];
      if (data.version !== 1) throw new Error(`unsupported mixture version ${String(data.version)}`);
      entry.view = data.kind === "1d" ? renderMixture1D(entry.element, data) : renderMixture2D(entry.element, data);
    } else if (entry.mime === MIME.progress) {
      entry.view = renderProgress(entry.element, entry.data as PayloadOf[typeof MIME.progress]);
    } else {
      throw new Error(`no view for ${entry.mime}`);
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
