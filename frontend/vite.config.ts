/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers'
import { precompress } from './vite.precompress'

/**
 * The mobile app lives at /m with its own history router. In dev and preview the
 * server must answer its deep links (/m/todos, /m/me, ...) with m/index.html, as Flask does.
 */
function mobileHistoryFallback(): Plugin {
  const rewrite = (req: { url?: string }) => {
    const url = req.url ?? ''
    const path = url.split('?')[0]
    if ((path === '/m' || path.startsWith('/m/')) && !path.includes('.') && !path.startsWith('/m/@')) {
      req.url = '/m/index.html'
    }
  }
  return {
    name: 'greenshelf-mobile-history-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        rewrite(req)
        next()
      })
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, _res, next) => {
        rewrite(req)
        next()
      })
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus and Vant components (and their styles) imported where a template uses
    // them, so the first page loads only what it shows
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver({ importStyle: 'css' })], dts: false }),
    mobileHistoryFallback(),
    precompress(),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        mobile: fileURLToPath(new URL('./m/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:5000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:5000', changeOrigin: false },
    },
  },
  test: {
    include: ['tests/unit/**/*.spec.ts', 'src/**/*.spec.ts'],
    environment: 'node',
  },
})
