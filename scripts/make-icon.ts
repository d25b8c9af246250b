/**
 * Draws the extension's icon (extension/media/icon.png, 256×256) from the library's own picture of EM: three clusters
 * of points in responsibility-mixed colours under a fitted Gaussian mixture's 1σ and 2σ ellipses, its means as
 * crosses — the mixture view drawn small. The SVG is rendered by Chromium (scripts/e2e-setup.sh installs it).
 *
 *   node --import tsx scripts/make-icon.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";
import * as ml from "../kernel-lib/src";
import { ellipsePoints, mixedColours, projectCovariance, responsibilities, rgbToHex } from "../kernel-lib/src/display/mixture-geometry";
import { COMPONENT_COLORS } from "../kernel-lib/src/output-contract";

const SIZE = 256, MARGIN = 30;
const colours = [COMPONENT_COLORS[0], COMPONENT_COLORS[1], COMPONENT_COLORS[2]];

const { X } = ml.generateMoGData(90, [[0, 0], [4.2, 1.2], [1.4, 4.4]], [[[0.9, 0.35], [0.35, 0.55]], [[0.5, -0.2], [-0.2, 0.8]], [[0.7, 0], [0, 0.45]]], [0.36, 0.32, 0.32], 7);
const gm = new ml.GaussianMixture({ k: 3, seed: 2 }).fit(X);
const final = gm.snapshots[gm.snapshots.length - 1];
const snapshot = { ...final, logLikelihood: null };
const points = Array.from(X.data);
const resp = responsibilities(points, 2, snapshot);
const mixed = mixedColours(resp, 3, colours);

// Data to pixels, one unit as long on both axes, the whole picture inside the margins.
const xs = points.filter((_, i) => i % 2 === 0), ys = points.filter((_, i) => i % 2 === 1);
const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
const scale = (SIZE - 2 * MARGIN) / Math.max(x1 - x0, y1 - y0);
const px = (x: number) => SIZE / 2 + (x - (x0 + x1) / 2) * scale;
const py = (y: number) => SIZE / 2 - (y - (y0 + y1) / 2) * scale;

const ellipses = snapshot.means.flatMap((mean, c) =>
  [2, 1].map((sigmas) => {
    const d = ellipsePoints([mean[0], mean[1]], projectCovariance(snapshot.covariances[c], 0, 1), sigmas).map(([x, y], i) => `${i ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join("") + "Z";
    return `<path d="${d}" fill="${colours[c]}" fill-opacity="${sigmas === 1 ? 0.22 : 0.1}" stroke="${colours[c]}" stroke-width="${sigmas === 1 ? 5 : 3}" stroke-opacity="${sigmas === 1 ? 1 : 0.7}"/>`;
  }),
);
const dots = mixed.map((rgb, i) => `<circle cx="${px(xs[i]).toFixed(1)}" cy="${py(ys[i]).toFixed(1)}" r="4.2" fill="${rgbToHex(rgb)}"/>`);
const crosses = snapshot.means.map(([x, y]) => {
  const [cx, cy] = [px(x), py(y)];
  const arm = (dx: number, dy: number) => `M${cx - dx},${cy - dy}L${cx + dx},${cy + dy}`;
  return `<path d="${arm(11, 0)}${arm(0, 11)}" stroke="#ffffff" stroke-width="9" stroke-linecap="round"/><path d="${arm(11, 0)}${arm(0, 11)}" stroke="#1b1f24" stroke-width="4.5" stroke-linecap="round"/>`;
});
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
<defs><clipPath id="tile"><rect width="${SIZE}" height="${SIZE}" rx="44"/></clipPath></defs>
<g clip-path="url(#tile)"><rect width="${SIZE}" height="${SIZE}" fill="#1b1f24"/>${ellipses.join("")}${dots.join("")}${crosses.join("")}</g>
</svg>`;

async function main(): Promise<void> {
  const out = path.resolve(__dirname, "..", "extension", "media");
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator("svg").screenshot({ path: path.join(out, "icon.png"), omitBackground: true });
  } finally {
    await browser.close();
  }
  console.log(`extension/media/icon.png (${SIZE}×${SIZE})`);
}

void main();
