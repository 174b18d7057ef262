import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Collapse,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Select,
  Space,
  Switch,
  Typography,
  message,
} from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  INCOME_NAMES,
  perHeadNow,
  Education,
  Health,
  MemberLeaveReason,
  PLANNED_MEASURE_KINDS,
  MeasureKind,
  Relation,
  RemovalReason,
  VERIFICATION_DOCUMENT_LABELS,
  WorkStatus,
} from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import type { HouseholdDetail } from '../../api/views';
import { applyFieldErrors, type FormValues } from '../../shared/fieldErrors';
import { KIND_LABELS } from '../../shared/labels';
import { openFile } from '../../shared/openBlob';
import { errorText, PageState } from '../../shared/PageState';

const opts = (e: { labels: Record<string, string> }) =>
  Object.entries(e.labels).map(([value, label]) => ({ value, label }));
// The registry's own labels (libs/domain), in the form's order.
const INCOMES = Object.entries(INCOME_NAMES) as [keyof typeof INCOME_NAMES, string][];
const NEEDS = [
  ['food', '不愁吃'],
  ['clothing', '不愁穿'],
  ['education', '义务教育有保障'],
  ['medical', '基本医疗有保障'],
  ['housing', '住房安全有保障'],
  ['water', '饮水安全有保障'],
] as const;

interface Recorded {
  unmetCriteria: string[];
  findings: { kind: string; what: string; caseId?: string | null; refused?: string }[];
}

/**
 * 逐户核查 on the comparison sheet's items, laid out for a phone at the door: members confirmed or
 * corrected, this year's income and basic needs (pre-filled from the last assessment), documents
 * seen, risks, measures, the two visitors and the household's acknowledgement.
 */
const SECTIONS = ['members', 'income', 'risks', 'visitors'];
// Dark enough on white for 4.5:1 (antd's success and error text colours are not).
const OK_GREEN = '#237804';
const LOW_RED = '#a8071a';

/** One short section of the form: folded, it still holds its fields (they are validated and sent); its summary says what is in it. */
function Section({
  k,
  title,
  summary,
  open,
  toggle,
  children,
}: {
  k: string;
  title: string;
  summary: ReactNode;
  open: string[];
  toggle: (k: string) => void;
  children: ReactNode;
}) {
  return (
    <Collapse
      style={{ marginTop: 12 }}
      activeKey={open.includes(k) ? [k] : []}
      onChange={() => toggle(k)}
      items={[
        {
          key: k,
          forceRender: true,
          label: (
            <Space wrap size={4}>
              <Typography.Text strong>{title}</Typography.Text>
              <Typography.Text type="secondary">{summary}</Typography.Text>
            </Space>
          ),
          children,
        },
      ]}
    />
  );
}

export function VerifyPage() {
  const { id, householdId } = useParams();
  const [form] = Form.useForm();
  const me = useSessionUser();
  const h = useQuery({
    queryKey: ['household', householdId],
    queryFn: () =>
      data(registry.GET('/households/{id}', { params: { path: { id: householdId! } } })) as Promise<HouseholdDetail>,
  });
  const members = (h.data?.members ?? []).filter((m) => m.active);
  // The head marked as gone (death, moving away): the member change names the new head from those who stay.
  const lefts: (string | undefined)[] = (Form.useWatch('members', form) ?? []).map(
    (m: { left?: string } | undefined) => m?.left,
  );
  const head = members.find((m) => m.relation === 'HEAD');
  const headLeft = head !== undefined && Boolean(lefts[members.indexOf(head)]);
  const remaining = members.filter((_, i) => !lefts[i]);
  // Short sections: members and the visitors open, the figures (prefilled from the last assessment) and the risks folded with their summary.
  const [open, setOpen] = useState<string[]>(['members', 'visitors']);
  const toggle = (k: string) => setOpen((o) => (o.includes(k) ? o.filter((x) => x !== k) : [...o, k]));
  const a = (Form.useWatch('assessment', form) ?? {}) as Record<string, number | boolean | undefined>;
  const yuan = (k: string) => Number(a[k] ?? 0);
  const perHead = perHeadNow(
    {
      wageIncome: yuan('wageIncome'),
      businessIncome: yuan('businessIncome'),
      propertyIncome: yuan('propertyIncome'),
      transferIncome: yuan('transferIncome'),
      productionCosts: yuan('productionCosts'),
    },
    remaining.length,
  );
  const line = h.data?.standard?.povertyLine ?? null;
  const unmet = NEEDS.filter(([k]) => a[k] === false).map(([, label]) => label);
  const documents = (Form.useWatch('documents', form) ?? []) as string[];
  const summaries: Record<string, ReactNode> = {
    members: `${remaining.length} 人在户${members.length - remaining.length ? `, ${members.length - remaining.length} 人减少` : ''}`,
    income: (
      <span data-testid="verify-per-head">
        年人均纯收入 {perHead ?? '—'} 元 ({remaining.length} 人)
        {line !== null && perHead !== null && (
          <span style={{ color: perHead > line ? OK_GREEN : LOW_RED }}>
            {' '}
            {perHead > line ? '高于' : '不高于'}贫困标准 {line} 元
          </span>
        )}
        {unmet.length > 0 && <span style={{ color: LOW_RED }}>; 未保障: {unmet.join('、')}</span>}
      </span>
    ),
    risks: `已查验 ${documents.length} 种证件`,
    visitors: '两人入户, 向农户宣读确认',
  };
  useEffect(() => {
    if (!h.data) return;
    const last = h.data.assessments[0];
    form.setFieldsValue({
      assessment: {
        year: new Date().getFullYear(),
        assessedOn: new Date().toISOString().slice(0, 10),
        ...(last
          ? Object.fromEntries([...INCOMES.map(([k]) => [k, last[k]]), ...NEEDS.map(([k]) => [k, last[k]])])
          : Object.fromEntries(NEEDS.map(([k]) => [k, true]))),
      },
      members: h.data.members
        .filter((m) => m.active)
        .map((m) => ({
          memberId: m.id,
          education: m.education ?? undefined,
          health: m.health,
          workStatus: m.workStatus ?? undefined,
        })),
      documents: ['hukou', 'idCard'],
      // The signed-in visitor is the first of the two who went to the door.
      ...(form.getFieldValue('visitor1') ? {} : { visitor1: me?.name }),
    });
  }, [h.data, form, me?.name]);
  const save = useMutation({
    mutationFn: async () => {
      const v = form.getFieldsValue(true) as FormValues;
      const before = new Map(members.map((m) => [m.id, m]));
      // Only what changed goes as a correction; an unchanged field is a confirmation.
      const checks = (v.members ?? []).map((m: Record<string, unknown>) => {
        const was = before.get(String(m.memberId))!;
        const out: Record<string, unknown> = { memberId: m.memberId };
        if (m.left) out.left = m.left;
        for (const f of ['education', 'health', 'workStatus'] as const)
          if (m[f] !== undefined && m[f] !== (was[f] ?? undefined)) out[f] = m[f];
        return out;
      });
      const body = {
        visitors: [v.visitor1, v.visitor2].map((x) => String(x ?? '').trim()),
        documents: v.documents ?? [],
        members: checks,
        ...(headLeft && v.newHeadId ? { newHeadId: v.newHeadId } : {}),
        assessment: { ...v.assessment, year: Number(v.assessment.year) },
        risks: (v.risks ?? []).filter(Boolean),
        plannedMeasures: (v.plannedMeasures ?? []).filter((m: { description?: string }) => m?.description),
        ...(v.causeAnalysis ? { causeAnalysis: v.causeAnalysis } : {}),
        ...(v.householdConsent ? { householdConsent: true } : {}),
        ...(v.removalReason ? { removalReason: v.removalReason } : {}),
        note: v.note || undefined,
        acknowledged: v.acknowledged === true,
      };
      return (await data(
        registry.POST('/campaigns/{id}/households/{householdId}/verification', {
          params: { path: { id: id!, householdId: householdId! } },
          body: body as never,
        }),
      )) as Recorded;
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  if (save.data) {
    return (
      <Result
        status="success"
        title="入户核查已记录"
        data-testid="verified"
        subTitle={save.data.unmetCriteria.length ? `未达退出标准: ${save.data.unmetCriteria.join('; ')}` : undefined}
        extra={
          <Space orientation="vertical" style={{ textAlign: 'left' }}>
            <List
              size="small"
              header="核查发现的处理"
              dataSource={save.data.findings}
              locale={{ emptyText: '无变化, 信息属实' }}
              renderItem={(f) => (
                <List.Item data-testid="finding">
                  {KIND_LABELS[f.kind] ?? (f.kind === 'data_fix' ? '信息更正' : '帮扶措施')}: {f.what}{' '}
                  {f.caseId && <Link to={`/cases/${f.caseId}`}>查看案件</Link>}{' '}
                  {f.refused && <Typography.Text type="warning">({f.refused})</Typography.Text>}
                </List.Item>
              )}
            />
            <Link to="/inbox">返回待办</Link>
          </Space>
        }
      />
    );
  }
  return (
    <PageState loading={h.isLoading} error={h.error} retry={() => h.refetch()}>
      {h.data && (
        <Form form={form} layout="vertical" style={{ maxWidth: 720 }} scrollToFirstError>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              逐户核查: {h.data.number} {h.data.headName}
            </Typography.Title>
            <Button
              icon={<PrinterOutlined />}
              onClick={() =>
                openFile(
                  `/api/registry/campaigns/${id}/households/${householdId}/sheet`,
                  `对照表-${h.data!.number}.pdf`,
                ).catch((e) => message.error(errorText(e)))
              }
            >
              打印对照表
            </Button>
          </Space>
          <Section k="members" title="家庭成员" summary={summaries.members} open={open} toggle={toggle}>
            <Form.List name="members">
              {(fields) =>
                fields.map((f, i) => (
                  <Space
                    key={f.key}
                    wrap
                    align="start"
                    style={{ width: '100%', borderBottom: '1px solid #f0f0f0', paddingBottom: 8, marginBottom: 8 }}
                  >
                    <Typography.Text strong style={{ minWidth: 96, display: 'inline-block' }}>
                      {members[i]?.name} (
                      {Relation.labels[members[i]?.relation as keyof typeof Relation.labels] ?? members[i]?.relation})
                    </Typography.Text>
                    <Form.Item name={[f.name, 'left']} label="减少原因" style={{ margin: 0, minWidth: 140 }}>
                      <Select
                        allowClear
                        placeholder="仍在本户"
                        options={opts(MemberLeaveReason)}
                        aria-label={`${members[i]?.name} 减少原因`}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'education']} label="文化程度" style={{ margin: 0, minWidth: 120 }}>
                      <Select allowClear options={opts(Education)} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'health']} label="健康状况" style={{ margin: 0, minWidth: 110 }}>
                      <Select options={opts(Health)} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'workStatus']} label="务工状况" style={{ margin: 0, minWidth: 120 }}>
                      <Select allowClear options={opts(WorkStatus)} />
                    </Form.Item>
                  </Space>
                ))
              }
            </Form.List>
            {headLeft && remaining.length > 0 && (
              <Form.Item
                name="newHeadId"
                label={`户主 ${head?.name} 离户: 新户主`}
                rules={[{ required: true, message: '户主离户须指定新户主' }]}
                style={{ marginTop: 8 }}
              >
                <Select
                  options={remaining.map((m) => ({ value: m.id, label: m.name }))}
                  data-testid="new-head"
                  aria-label="新户主"
                />
              </Form.Item>
            )}
            {headLeft && remaining.length === 0 && (
              <Alert type="warning" showIcon title="全部成员离户: 公告后整户注销" />
            )}
          </Section>
          <Section
            k="income"
            title="收入与两不愁三保障 (本年度)"
            summary={summaries.income}
            open={open}
            toggle={toggle}
          >
            <Space wrap>
              {INCOMES.map(([k, label]) => (
                <Form.Item
                  key={k}
                  name={['assessment', k]}
                  label={label}
                  rules={[{ required: true, message: `请填写${label}` }]}
                >
                  <InputNumber min={0} max={100_000_000} addonAfter="元" style={{ width: 170 }} />
                </Form.Item>
              ))}
            </Space>
            <Space wrap size="large">
              {NEEDS.map(([k, label]) => (
                <Form.Item key={k} name={['assessment', k]} label={label} valuePropName="checked" style={{ margin: 0 }}>
                  <Switch checkedChildren="是" unCheckedChildren="否" />
                </Form.Item>
              ))}
            </Space>
          </Section>
          <Section k="risks" title="证件、风险与措施" summary={summaries.risks} open={open} toggle={toggle}>
            <Form.Item
              name="documents"
              label="已查验证件"
              rules={[
                {
                  validator: (_, v: string[] | undefined) =>
                    v?.length ? Promise.resolve() : Promise.reject(new Error('至少查验一种证件')),
                },
              ]}
            >
              <Checkbox.Group
                options={Object.entries(VERIFICATION_DOCUMENT_LABELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="risks" label="发现的风险 (因病、因灾、因意外等; 将转入纳入监测)">
              <Select mode="tags" placeholder="输入后回车" aria-label="发现的风险" />
            </Form.Item>
            <Form.List name="plannedMeasures">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} wrap>
                      <Form.Item
                        name={[f.name, 'kind']}
                        rules={[{ required: true, message: '请选择措施类别' }]}
                        style={{ minWidth: 120 }}
                      >
                        <Select
                          options={PLANNED_MEASURE_KINDS.map((k) => ({ value: k, label: MeasureKind.labels[k] }))}
                          placeholder="措施类别"
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'description']} rules={[{ required: true, message: '请填写措施内容' }]}>
                        <Input placeholder="措施内容" maxLength={300} />
                      </Form.Item>
                      <Button onClick={() => remove(f.name)}>删除</Button>
                    </Space>
                  ))}
                  <Button onClick={() => add({ kind: 'EMPLOYMENT' })}>添加帮扶措施 (未达退出标准时)</Button>
                </>
              )}
            </Form.List>
            {h.data.status === 'POOR' && (
              <Form.Item
                name="causeAnalysis"
                label="原因分析 (未达退出标准时必填, 并至少制定一项措施)"
                style={{ marginTop: 12 }}
              >
                <Input.TextArea rows={2} maxLength={500} aria-label="原因分析" />
              </Form.Item>
            )}
            {h.data.status === 'APPLICANT' && (
              <Form.Item name="householdConsent" valuePropName="checked">
                <Checkbox>农户本人申请纳入 (收入或两不愁三保障低于标准时发起识别)</Checkbox>
              </Form.Item>
            )}
            {h.data.status !== 'APPLICANT' && (
              <Form.Item name="removalReason" label="核查发现应清退 (可选)">
                <Select
                  allowClear
                  placeholder="不清退"
                  options={RemovalReason.codes
                    .filter((c) => c !== 'WRONGLY_EXITED' || h.data!.status === 'EXITED')
                    .map((c) => ({ value: c, label: RemovalReason.labels[c] }))}
                  aria-label="清退原因"
                />
              </Form.Item>
            )}
          </Section>
          <Section k="visitors" title="核查人与农户确认" summary={summaries.visitors} open={open} toggle={toggle}>
            <Space wrap>
              <Form.Item name="visitor1" label="核查人一" rules={[{ required: true, message: '须两人共同入户核查' }]}>
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item name="visitor2" label="核查人二" rules={[{ required: true, message: '须两人共同入户核查' }]}>
                <Input maxLength={40} />
              </Form.Item>
            </Space>
            <Form.Item name="visitors" hidden>
              <Input />
            </Form.Item>
            <Form.Item name="note" label="备注">
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Form.Item
              name="acknowledged"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, v) =>
                    v ? Promise.resolve() : Promise.reject(new Error('核查结果须向农户宣读并经农户确认')),
                },
              ]}
            >
              <Checkbox>核查结果已向农户宣读, 农户确认无误</Checkbox>
            </Form.Item>
          </Section>
          {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginTop: 12 }} />}
          <Button
            type="primary"
            size="large"
            block
            style={{ marginTop: 16 }}
            loading={save.isPending}
            onClick={() =>
              form.validateFields().then(
                () => save.mutate(),
                () => setOpen(SECTIONS),
              )
            }
            data-testid="save-verification"
          >
            提交核查结果
          </Button>
        </Form>
      )}
    </PageState>
  );
}
