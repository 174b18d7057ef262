// Preload for running TypeScript sources directly: swc for the transform, plus one resolution
// rule TypeScript itself applies: a relative "./x.js" imported from a .ts file means "./x.ts"
// (Prisma 7's generated client is written with importFileExtension = "js").
'use strict';
require('@swc-node/register');
const Module = require('node:module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return original.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.startsWith('.') && request.endsWith('.js') && parent && /\.tsx?$/.test(parent.filename)) {
      return original.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
    }
    throw err;
  }
};
