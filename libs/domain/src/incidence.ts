/** 贫困发生率 = poor people ÷ rural registered population, as a fraction (0.021 = 2.1%). */
export function incidence(poorPopulation: number, ruralPopulation: number): number {
  if (ruralPopulation <= 0) return 0;
  return poorPopulation / ruralPopulation;
}

/** Village exit threshold: below 2%, or 3% in western provinces (policy default). */
export function villageExitThreshold(western: boolean): number {
  return western ? 0.03 : 0.02;
}
