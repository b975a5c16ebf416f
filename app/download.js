// Saving what Loupe made: text files (CSV, JSON, SVG, pipelines) and PNG through a canvas.

/**
 * Offer bytes or text to the user as a file download.
 * @param {string} filename @param {BlobPart} content @param {string} type
 */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Rasterise a standalone SVG file (from loupe.render.tree.svg_document: escaped, no scripts) to PNG.
 * The SVG is drawn as an image, where browsers run no script and fetch nothing.
 * @param {string} svgText @param {number} [scale]
 * @returns {Promise<Blob>}
 */
export async function svgToPng(svgText, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode().catch((error) => {
      throw new Error(`Could not draw the chart as a PNG (${error.message}). Hint: the page's Content-Security-Policy must allow img-src blob:; the SVG download works without it.`);
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("could not make a PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name from a title: letters, digits and dashes. @param {string} title */
export function slug(title) {
  return (title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart").slice(0, 60);
}
