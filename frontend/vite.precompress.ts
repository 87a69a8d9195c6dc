import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'vite'

/** Text files worth compressing; images and fonts are compressed already. */
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/
/** Below this many bytes a compressed copy saves less than its headers cost. */
const SMALLEST = 1024

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every text file of the build, so the
 * server (app/web.py, or nginx with gzip_static / brotli_static) sends them as they are
 * instead of compressing on every request.
 */
export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'greenshelf-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!TEXT.test(fileName)) continue
        const path = join(outDir, fileName)
        const content = readFileSync(path)
        if (content.length < SMALLEST) continue
        writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }))
        writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
      }
    },
  }
}
