// A tiny static server for dist/ on 127.0.0.1 (no dependency): used by the e2e suite and
// by scripts/serve-web.sh. `node e2e/server.js [dir] [port]`; port 0 picks a free one.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.ico': 'image/x-icon',
};

/**
 * Serves `root`. Options: `gzip` (compress for a client that accepts it, as a deployment
 * would), `override(pathname)` (a text to send instead of the file, e.g. a deployer's
 * `embed-origins.txt`; undefined: the file).
 */
function serve(root, port, host = '127.0.0.1', opts = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (file, body) => {
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (opts.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) { body = zlib.gzipSync(body, { level: 9 }); headers['content-encoding'] = 'gzip'; }
      res.writeHead(200, headers);
      res.end(body);
    };
    const text = opts.override && opts.override(url.pathname);
    if (text !== undefined && text !== null) return send(url.pathname, Buffer.from(text));
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('not found'); }
      send(file, body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      // The wanted port is taken: take any free one rather than fail.
      if (e.code === 'EADDRINUSE' && port !== 0) server.listen(0, host, () => resolve(server));
      else reject(e);
    });
    server.listen(port, host, () => resolve(server));
  });
}

module.exports = { serve };

if (require.main === module) {
  const dir = process.argv[2] || 'dist';
  const port = Number(process.argv[3] || process.env.PORT || 8080);
  serve(dir, port).then((s) => {
    const a = s.address();
    console.log(`flexcalc web app: http://${a.address}:${a.port}/`);
  });
}
