import type { AssessedIncome, BasicNeeds } from '@jingzhun/domain';
import type { Assessment } from '../generated/prisma/client';

/** The six needs of an assessment row or a visit's findings (两不愁三保障 and safe drinking water). */
export function needsOf(a: {
  food: boolean;
  clothing: boolean;
  education: boolean;
  medical: boolean;
  housing: boolean;
  water: boolean;
}): BasicNeeds {
  return {
    food: a.food,
    clothing: a.clothing,
    education: a.education,
    medical: a.medical,
    housing: a.housing,
    water: a.water,
  };
}

/** An assessment row or a visit's findings as the rules read them (incomes and needs; people from the live members). */
export function assessedIncome(
  a: Pick<
    Assessment,
    | 'wageIncome'
    | 'businessIncome'
    | 'propertyIncome'
    | 'transferIncome'
    | 'productionCosts'
    | 'food'
    | 'clothing'
    | 'education'
    | 'medical'
    | 'housing'
    | 'water'
  >,
): AssessedIncome {
  return {
    wageIncome: a.wageIncome,
    businessIncome: a.businessIncome,
    propertyIncome: a.propertyIncome,
    transferIncome: a.transferIncome,
    productionCosts: a.productionCosts,
    needs: needsOf(a),
  };
}
