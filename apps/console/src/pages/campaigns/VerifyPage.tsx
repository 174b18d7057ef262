import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, List, Result, Space, Typography, message } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { OutboxItem, OutboxPhoto } from '../../offline/field-db';
import { discard, outboxItems, submitFieldRecord } from '../../offline/outbox';
import { PhotoPicker } from '../../offline/PhotoPicker';
import { useIdempotencyKey } from '../../shared/idempotency';
import { perHeadNow } from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import type { RegistryAnswer } from '../../api/views';
import { useSessionUser } from '../../auth/useSession';
import { applyFieldErrors, type FormValues } from '../../shared/fieldErrors';
import { IncomeFields, INCOMES, MemberFields, NEEDS, RiskFields, Section, VisitorFields } from './VerifySections';
import { KIND_LABELS } from '../../shared/labels';
import { openFile } from '../../shared/openBlob';
import { errorText, PageState } from '../../shared/PageState';

/**
 * 逐户核查 on the comparison sheet's items, laid out for a phone at the door: members confirmed or
 * corrected, this year's income and basic needs (pre-filled from the last assessment), documents
 * seen, risks, measures, the two visitors and the household's acknowledgement.
 */
const SECTIONS = ['members', 'income', 'risks', 'visitors', 'photos'];
type VerificationAnswer = RegistryAnswer<'/campaigns/{id}/households/{householdId}/verification', 'post'>;
// Dark enough on white for 4.5:1 (antd's success and error text colours are not).
const OK_GREEN = '#237804';
const LOW_RED = '#a8071a';

export function VerifyPage() {
  const { id, householdId } = useParams();
  const [form] = Form.useForm();
  const me = useSessionUser();
  const idem = useIdempotencyKey();
  // #24: photos of the signed sheet and the documents; a record the registry refused comes back with ?reopen=.
  const [photos, setPhotos] = useState<OutboxPhoto[]>([]);
  const [reopen, setReopen] = useState<OutboxItem | null>(null);
  const [params] = useSearchParams();
  const reopenId = params.get('reopen');
  const h = useQuery({
    queryKey: ['household', householdId],
    queryFn: () => data(registry.GET('/households/{id}', { params: { path: { id: householdId! } } })),
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
    if (reopenId)
      void outboxItems().then((items) => {
        const item = items.find((i) => i.id === reopenId);
        if (!item) return;
        form.setFieldsValue(item.values);
        setPhotos(item.photos);
        setReopen(item);
      });
  }, [h.data, form, me?.name, reopenId]);
  const save = useMutation({
    // Runs offline too (TanStack pauses mutations without network by default): the record goes to the outbox.
    networkMode: 'always',
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
      // At the door without signal: kept in the outbox and sent once when the network returns.
      const sent = await submitFieldRecord({
        id: idem.key(),
        kind: 'campaign-verification',
        form: '逐户核查',
        household: `${h.data?.headName ?? ''} · ${h.data?.number ?? ''}`,
        householdId: householdId!,
        campaignId: id!,
        path: `/campaigns/${id}/households/${householdId}/verification`,
        body,
        values: v,
        recordedAt: new Date().toISOString(),
        photos,
      });
      if (reopen) await discard(reopen.id);
      return sent.kind === 'queued' ? null : (sent.body as VerificationAnswer);
    },
    onError: (err) => {
      idem.renew();
      applyFieldErrors(form, err);
    },
  });
  if (save.isSuccess && save.data === null) {
    return (
      <Result
        status="info"
        title="已保存在手机上, 待同步"
        subTitle="有网络时自动发送 (顶部 待同步 可查看状态); 请勿重复录入"
        extra={<Link to="/inbox">返回待办</Link>}
        data-testid="queued"
      />
    );
  }
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
            <MemberFields members={members} head={head} headLeft={headLeft} remaining={remaining} />
          </Section>
          <Section
            k="income"
            title="收入与两不愁三保障 (本年度)"
            summary={summaries.income}
            open={open}
            toggle={toggle}
          >
            <IncomeFields />
          </Section>
          <Section k="risks" title="证件、风险与措施" summary={summaries.risks} open={open} toggle={toggle}>
            <RiskFields status={h.data.status} />
          </Section>
          <Section k="visitors" title="核查人与农户确认" summary={summaries.visitors} open={open} toggle={toggle}>
            <VisitorFields />
          </Section>
          <Section
            k="photos"
            title="照片 (签字确认书、证件)"
            summary={`${photos.length} 张`}
            open={open}
            toggle={toggle}
          >
            <PhotoPicker value={photos} onChange={setPhotos} />
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
