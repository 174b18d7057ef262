import { Card, List, Tag, Typography } from 'antd';
import { Education, Health, LabourCapacity, Relation } from '@jingzhun/domain';
import type { HouseholdDetail } from '../../api/views';

const label = (t: { labels: Record<string, string> }, v: string | null | undefined) => (v ? (t.labels[v] ?? v) : '—');

/** The members at phone width: one card each, nothing to scroll sideways (a cadre at the door). */
export function MemberCards({ members }: { members: HouseholdDetail['members'] }) {
  return (
    <List
      dataSource={members}
      renderItem={(m) => (
        <List.Item style={{ display: 'block', border: 'none', padding: '0 0 8px' }}>
          <Card
            size="small"
            title={
              <>
                {m.name} <Tag>{label(Relation, m.relation)}</Tag>
                {!m.active && <Tag color="#595959">已减员</Tag>}
              </>
            }
            data-testid="member-card"
          >
            <div>身份证号 {m.idNumber}</div>
            <div>
              {m.birthDate ? `${m.birthDate} (${m.age} 岁)` : `${m.age} 岁`} · {label(Education, m.education)}
            </div>
            <div>
              {label(Health, m.health)} · {label(LabourCapacity, m.labourCapacity)}
            </div>
          </Card>
        </List.Item>
      )}
    />
  );
}

/** The assessments at phone width: one card per year with the income per head and whether every need is met. */
export function AssessmentCards({ assessments }: { assessments: HouseholdDetail['assessments'] }) {
  return (
    <List
      dataSource={assessments}
      locale={{ emptyText: '尚无核算' }}
      renderItem={(a) => (
        <List.Item style={{ display: 'block', border: 'none', padding: '0 0 8px' }}>
          <Card size="small" title={`${a.year} 年 · 核实于 ${a.assessedOn}`}>
            <div>
              人均纯收入 <b>{a.netIncomePerHead} 元</b> ({a.people} 人)
            </div>
            <div>
              工资性 {a.wageIncome} · 经营性 {a.businessIncome} · 财产性 {a.propertyIncome} · 转移性 {a.transferIncome}{' '}
              · 生产支出 {a.productionCosts}
            </div>
            <div>
              {a.food && a.clothing && a.education && a.medical && a.housing && a.water ? (
                '两不愁三保障均已保障'
              ) : (
                <Typography.Text type="danger">两不愁三保障有未保障项</Typography.Text>
              )}
            </div>
          </Card>
        </List.Item>
      )}
    />
  );
}
