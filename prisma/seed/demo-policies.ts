/** Policy data with effective dates (DESIGN.md: thresholds are data, not constants). */
export function demoPolicies() {
  const yearly = (key: string, values: Record<number, number>, note: string) =>
    Object.entries(values).map(([year, yuan]) => ({
      key,
      scope: '',
      effectiveFrom: `${year}-01-01`,
      value: { yuan },
      note,
    }));
  return [
    ...yearly(
      'povertyLine',
      { 2016: 3000, 2017: 3200, 2018: 3500, 2019: 3750, 2020: 4000 },
      '现行标准(2010年2300元不变价)当年值',
    ),
    ...yearly(
      'monitoringLine',
      { 2021: 6000, 2022: 6500, 2023: 7000, 2024: 7200, 2025: 7500, 2026: 7800 },
      '防返贫监测收入线',
    ),
    {
      key: 'villageExitIncidence',
      scope: '',
      effectiveFrom: '2016-01-01',
      value: { max: 0.02 },
      note: '贫困村退出: 贫困发生率低于2%',
    },
    ...['15', '45', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'].map((p) => ({
      key: 'villageExitIncidence',
      scope: p,
      effectiveFrom: '2016-01-01',
      value: { max: 0.03 },
      note: '西部地区低于3%',
    })),
    {
      key: 'noticeDays',
      scope: '',
      effectiveFrom: '2016-01-01',
      value: { identification: 7, exit: 7, return: 7, villageExit: 7, monitoring: 5, riskElimination: 7 },
      note: '公示天数',
    },
    {
      key: 'signOffDays',
      scope: '',
      effectiveFrom: '2016-01-01',
      value: { village: 7, township: 7, county: 10, reminderBeforeDays: 2, escalationGraceDays: 3 },
      note: '各级审核时限',
    },
    {
      key: 'revisitCadence',
      scope: '',
      effectiveFrom: '2021-01-01',
      value: { exited: 'P3M', monitored: 'P1M', reminderBeforeDays: 7, escalationGraceDays: 7 },
      note: '回访周期',
    },
    {
      key: 'monitoringDecisionDays',
      scope: '',
      effectiveFrom: '2021-01-01',
      value: { days: 15 },
      note: '纳入监测决定时限',
    },
    {
      key: 'transitionPeriod',
      scope: '',
      effectiveFrom: '2021-01-01',
      value: { from: '2021-01-01', until: '2025-12-31' },
      note: '过渡期: 2021 中央一号文件, 脱贫攻坚目标任务完成后 5 年 (2021–2025)',
    },
    // A province's extension of its follow-ups after the national window (演示政策数据: set from the province's own document).
    ...['41', '52'].map((p) => ({
      key: 'transitionPeriod',
      scope: p,
      effectiveFrom: '2025-12-01',
      value: { from: '2021-01-01', until: '2030-12-31' },
      note: '省级延续过渡期回访至 2030 年 (演示数据)',
    })),
  ];
}
