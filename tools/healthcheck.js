#!/usr/bin/env node
// The image's HEALTHCHECK: GET $HEALTHCHECK_URL (each service's /health/ready), exit 0 on a 2xx.
// Plain JavaScript with no dependencies, so it runs in the runtime image as it is.
'use strict';
const http = require('node:http');

const url = process.env.HEALTHCHECK_URL || 'http://127.0.0.1:3000/health/ready';
const req = http.get(url, { timeout: 3000 }, (res) => {
  res.resume();
  process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (err) => {
  process.stderr.write(`healthcheck ${url}: ${err.message}\n`);
  process.exit(1);
});
