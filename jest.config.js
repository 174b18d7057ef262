// Two tiers (STYLE.md): `unit` runs pure logic with fakes; `medium` and `e2e` run against the
// real PostgreSQL, NATS JetStream and Temporal that `npm test` starts (tools/devkit/src/test-run.ts).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': swc },
  // Prisma's generated client imports "./x.js" meaning "./x.ts".
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  rootDir: __dirname,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,tools,workflows,prisma}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.test.ts'], slowTestThreshold: 30 },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'], slowTestThreshold: 60 },
    // The images without a container engine: two real npm ci installs, run on their own (they would slow the HTTP suites' timing bars).
    { ...common, displayName: 'images', testMatch: ['<rootDir>/test/images/**/*.test.ts'], slowTestThreshold: 300 },
    // Journeys through the console in a real Chromium against the whole stack (one file at a time).
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
      slowTestThreshold: 120,
    },
  ],
};
