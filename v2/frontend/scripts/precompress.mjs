// Writes a gzip copy (name.gz) beside every compressible file under dist/assets, so the
// service can send the ~185 kB compressed script instead of ~600 kB, without compressing on
// every request (v2/backend/app/api/page.py picks the copy when the browser accepts gzip).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";

const ASSETS = new URL("../dist/assets/", import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|css|svg|json|txt|map)$/;
const MIN_BYTES = 1024; // below this the gzip framing costs more than it saves

for (const name of readdirSync(ASSETS)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const path = join(ASSETS, name);
  const raw = readFileSync(path);
  if (raw.length < MIN_BYTES) continue;
  const packed = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(`${path}.gz`, packed);
  console.log(`${name}: ${(raw.length / 1024).toFixed(0)} kB -> ${(packed.length / 1024).toFixed(0)} kB gzip`);
}
