// sharp_thumbs.js — the sharp peer for bench/peers/run: one process for the whole list,
// one vips thread (sharp.concurrency(1)), no operation cache, per-image wall time inside.
// usage: node sharp_thumbs.js OUTDIR SIZE QUALITY FILE...
'use strict';
const path = require('path');
let sharp;
try {
  sharp = require('sharp');
} catch (e) {
  console.log(JSON.stringify({ event: 'missing', error: String(e.message || e) }));
  process.exit(3);
}

async function main() {
  const [outdir, size, quality, ...files] = process.argv.slice(2);
  const box = parseInt(size, 10);
  const q = parseInt(quality, 10);
  sharp.concurrency(1);
  sharp.cache(false);
  console.log(JSON.stringify({ event: 'ready', sharp: sharp.versions.sharp, vips: sharp.versions.vips }));
  let failed = 0;
  for (const file of files) {
    const stem = path.basename(file).replace(/\.[^.]*$/, '');
    const out = path.join(outdir, stem + '.jpg');
    const t0 = process.hrtime.bigint();
    let status = 'ok';
    try {
      await sharp(file)
        .rotate() // EXIF auto-orientation
        .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: q })
        .toFile(out);
    } catch (e) {
      status = 'error';
      failed++;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ file, status, ms, maxrss_kb: Math.round(process.resourceUsage().maxRSS) }));
  }
  console.log(JSON.stringify({ event: 'done', images: files.length, failed }));
}

main();
