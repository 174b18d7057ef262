/** JetStream streams and their subjects; the installation prefix is added at runtime. */
export const Streams = {
  registry: { name: 'REGISTRY', subjects: ['registry.>'] },
  tasks: { name: 'TASKS', subjects: ['tasks.>', 'notices.>', 'cases.>'] },
  deadLetters: { name: 'DLQ', subjects: ['dlq.>'], maxAgeDays: 365 },
} as const;

export const TaskQueues = {
  processes: 'processes',
  registry: 'registry',
  monitoring: 'monitoring',
  notifications: 'notifications',
} as const;
