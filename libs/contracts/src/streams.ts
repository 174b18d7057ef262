/** JetStream streams and their subjects; the installation prefix is added at runtime. */
export const Streams = {
  registry: { name: 'REGISTRY', subjects: ['registry.>'] },
  tasks: { name: 'TASKS', subjects: ['tasks.>', 'notices.>', 'cases.>', 'revisits.>'] },
  /** Department risk alerts (`alerts.<department>.<kind>`) and the monitoring service's own events. */
  alerts: { name: 'ALERTS', subjects: ['alerts.>', 'monitoring.>'] },
  deadLetters: { name: 'DLQ', subjects: ['dlq.>'], maxAgeDays: 365 },
} as const;

export const TaskQueues = {
  processes: 'processes',
  registry: 'registry',
  monitoring: 'monitoring',
  notifications: 'notifications',
} as const;
