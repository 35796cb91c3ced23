#!/usr/bin/env node
// A static file server for the built site, with no dependencies: serves one folder on 127.0.0.1 with the MIME
// types a WebAssembly page needs (application/wasm lets the browser compile while downloading).
//   node scripts/serve.mjs [folder] [--port N]      (defaults: build/wasm/site, port 8080; port 0 picks a free one)
// Also importable: `const server = await serve(folder, port)` gives the listening http.Server (tests use this).
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const mime_types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.otf': 'font/otf',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.glsl': 'text/plain; charset=utf-8',
  '.data': 'application/octet-stream',
};

export function serve(root_folder, port = 8080, host = '127.0.0.1') {
  const root = path.resolve(root_folder);
  const server = http.createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      let url_path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      if (url_path.endsWith('/')) url_path += 'index.html';
      const file = path.resolve(root, '.' + url_path);
      // Refuse anything outside the folder (../ tricks, encoded or not).
      if (file !== root && !file.startsWith(root + path.sep)) {
        response.writeHead(403).end('forbidden\n');
        return;
      }
      const stat = await fs.stat(file).catch(() => null);
      if (!stat || !stat.isFile()) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      response.writeHead(200, {
        'Content-Type': mime_types[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': 'no-cache',  // a rebuilt app is picked up on reload
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      createReadStream(file).on('error', () => response.destroy()).pipe(response);
    } catch (error) {
      response.writeHead(400).end(String(error && error.message) + '\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function parse_arguments(argv) {
  const options = { folder: 'build/wasm/site', port: 8080 };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--port') options.port = Number(argv[++i]);
    else if (argv[i].startsWith('--port=')) options.port = Number(argv[i].slice(7));
    else if (argv[i] === '--help' || argv[i] === '-h') options.help = true;
    else options.folder = argv[i];
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port needs a number from 0 to 65535');
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const options = parse_arguments(process.argv.slice(2));
    if (options.help) {
      console.log('usage: node scripts/serve.mjs [folder] [--port N]');
      process.exit(0);
    }
    await fs.access(path.join(options.folder, 'index.html')).catch(() => {
      throw new Error(`${options.folder}/index.html not found: build the site first (./play builds it)`);
    });
    const server = await serve(options.folder, options.port);
    console.log(`Serving ${path.resolve(options.folder)}`);
    console.log(`Open http://127.0.0.1:${server.address().port}/`);
  } catch (error) {
    console.error(`serve: ${error.message}`);
    process.exit(1);
  }
}

export const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
