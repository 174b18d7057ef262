import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Grid, Input, Result, Space } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, data, registry } from '../../api/http';
import type { CaseState, InboxTask } from '../../api/views';
import { useIdempotencyKey } from '../../shared/idempotency';
import { applyFieldErrors } from '../../shared/fieldErrors';
import { KIND_LABELS, stepLabel, CASE_STATUS } from '../../shared/labels';
import { errorText, PageState } from '../../shared/PageState';
import { fmtDate } from '../../shared/time';
import { DueCell } from './InboxPage';
import { EvidencePanel } from '../cases/EvidencePanel';
import { decisionWords, StepFields, stepData, stepKind } from './StepFields';
import type { OutboxItem, OutboxPhoto } from '../../offline/field-db';
import { discard, submitFieldRecord } from '../../offline/outbox';
import { cstDate, cstYear } from '@jingzhun/domain';
import { PhotoPicker } from '../../offline/PhotoPicker';
import { CasePhotos } from '../cases/CasePhotos';

type Decision = 'approve' | 'reject' | 'return';

/** Decides one task with its step's own form; answers with the case's new state. */
export function DecisionDrawer({
  task,
  onClose,
  onNext,
  hasNext,
  reopen,
}: {
  task: InboxTask;
  onClose: () => void;
  onNext?: () => void;
  hasNext?: boolean;
  /** A record from the outbox the registry refused (#24): its form again, with what was entered and its photos. */
  reopen?: OutboxItem;
}) {
  const [form] = Form.useForm();
  const qc = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const idem = useIdempotencyKey();
  const [other, setOther] = useState<string[]>([]);
  const sk = stepKind(task.kind, task.step);
  const words = decisionWords(sk);
  // 拍照留证 (#24): the revisit and the verification visit carry photos of the signed sheet and the documents.
  const withPhotos = sk === 'revisit' || sk === 'verification';
  const [photos, setPhotos] = useState<OutboxPhoto[]>(reopen?.photos ?? []);
  const theCase = useQuery({
    queryKey: ['case', task.caseId],
    queryFn: () => data(registry.GET('/cases/{id}', { params: { path: { id: task.caseId } } })),
  });

  const decide = useMutation({
    // Runs offline too (TanStack pauses mutations without network by default): a revisit then goes to the outbox.
    networkMode: 'always',
    mutationFn: async (decision: Decision): Promise<CaseState | 'queued'> => {
      const values = form.getFieldsValue(true) as Record<string, unknown>;
      const payload = stepData(sk, values);
      // A revisit and the 入户核实 are made at the door: without signal they go to the outbox and are sent when the
      // network returns (#24); online they are sent now, photos first. 入户核实's assessment is recorded on the
      // household first and the decision refers to it.
      if (!withPhotos || !task.householdId)
        return await data(
          registry.POST('/tasks/{id}/decision', {
            params: { path: { id: task.id }, header: { 'Idempotency-Key': idem.key() } as never },
            body: { decision, comment: String(values.comment ?? ''), data: payload },
          }),
        );
      const assessment =
        sk === 'verification' && decision === 'approve'
          ? { year: theCase.data?.year ?? cstYear(), assessedOn: cstDate(), ...(payload!.assessment as object) }
          : undefined;
      const sent = await submitFieldRecord({
        id: idem.key(),
        kind: sk === 'revisit' ? 'revisit' : 'verification-visit',
        form: stepLabel(task.step),
        household: `${task.headName ?? ''} · ${task.householdNumber ?? ''}`,
        householdId: task.householdId,
        taskId: task.id,
        caseId: task.caseId,
        path: `/tasks/${task.id}/decision`,
        body: { decision, comment: String(values.comment ?? ''), data: payload },
        ...(assessment ? { assessment } : {}),
        values,
        recordedAt: new Date().toISOString(),
        photos: withPhotos ? photos : [],
      });
      if (reopen) await discard(reopen.id);
      return sent.kind === 'queued' ? 'queued' : (sent.body as CaseState);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      void qc.invalidateQueries({ queryKey: ['case', task.caseId] });
      void qc.invalidateQueries({ queryKey: ['case-evidence', task.caseId] });
    },
    onError: (err) => {
      idem.renew();
      setOther(applyFieldErrors(form, err, ['data', 'assessment']));
    },
  });

  const submit = async (decision: Decision) => {
    if (decide.isPending) return;
    setOther([]);
    // Reject and return need a reason (the API refuses them without one too).
    form.setFields([{ name: 'comment', errors: [] }]);
    if (decision !== 'approve' && !String(form.getFieldValue('comment') ?? '').trim()) {
      form.setFields([{ name: 'comment', errors: ['不通过或退回时请填写意见'] }]);
      return;
    }
    try {
      await form.validateFields(decision === 'approve' ? undefined : ['comment']);
    } catch {
      return;
    }
    decide.mutate(decision);
  };

  const queued = decide.data === 'queued';
  const state = decide.data === 'queued' ? undefined : decide.data;
  // Re-opened from the outbox: the values as they were entered.
  useEffect(() => {
    if (reopen) form.setFieldsValue(reopen.values);
  }, [reopen, form]);
  return (
    <Drawer
      open
      onClose={onClose}
      size={phone ? '100%' : 560}
      // 回访's one step is also called 回访: said once.
      title={[...new Set([KIND_LABELS[task.kind] ?? task.kind, stepLabel(task.step)])].join(' · ')}
      destroyOnHidden
    >
      <PageState loading={theCase.isLoading} error={theCase.error}>
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label="户">
            {task.householdNumber ? `${task.householdNumber} ${task.headName ?? ''}` : task.villageName}
          </Descriptions.Item>
          <Descriptions.Item label="事由">{theCase.data?.reason}</Descriptions.Item>
          <Descriptions.Item label="期限">
            <DueCell task={task} />
          </Descriptions.Item>
        </Descriptions>
        {/* What the law asks this level to check, on the household's live facts, before the form (#21 §1). */}
        {!state && !queued && <EvidencePanel caseId={task.caseId} step={task.step} compact />}
        {/* The photos recorded with the case's visits, beside the decision (the township's review). */}
        {!state && !queued && <CasePhotos caseId={task.caseId} compact />}
        {queued ? (
          <Result
            status="info"
            title="已保存在手机上, 待同步"
            subTitle="有网络时自动发送 (顶部 待同步 可查看每条的状态); 请勿重复录入"
            extra={
              <Button type="primary" onClick={onClose} data-testid="queued-close">
                关闭
              </Button>
            }
            data-testid="queued"
          />
        ) : state ? (
          <Result
            status="success"
            title="已办理"
            subTitle={`案件状态: ${CASE_STATUS[state.status]?.label ?? state.status}; 当前步骤: ${stepLabel(state.step)}${state.dueAt ? `, 期限 ${fmtDate(state.dueAt)}` : ''}`}
            extra={[
              ...(hasNext && onNext
                ? [
                    <Button key="next" type="primary" onClick={onNext} data-testid="next-task">
                      下一件
                    </Button>,
                  ]
                : []),
              <Link key="case" to={`/cases/${task.caseId}`}>
                查看案件
              </Link>,
              <Button key="close" onClick={onClose}>
                关闭
              </Button>,
            ]}
            data-testid="decided"
          />
        ) : (
          <Form form={form} layout="vertical" disabled={decide.isPending}>
            <StepFields sk={sk} kind={task.kind} />
            {withPhotos && (
              <Form.Item label="照片 (签字确认书、证件, 可选)">
                <PhotoPicker value={photos} onChange={setPhotos} />
              </Form.Item>
            )}
            <Form.Item name="comment" label={sk === 'revisit' ? '备注 (不得填写身份证号等敏感信息)' : '意见'}>
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
            {decide.error instanceof ApiError && decide.error.status !== 400 && (
              <Alert
                type="error"
                showIcon
                title={errorText(decide.error)}
                style={{ marginBottom: 12 }}
                data-testid="decision-error"
              />
            )}
            {decide.error && !(decide.error instanceof ApiError) && (
              <Alert type="error" showIcon title={errorText(decide.error)} style={{ marginBottom: 12 }} />
            )}
            {other.length > 0 && <Alert type="error" showIcon title={other.join('; ')} style={{ marginBottom: 12 }} />}
            <Space wrap>
              <Button
                type="primary"
                loading={decide.isPending}
                onClick={() => void submit('approve')}
                data-testid="approve"
              >
                {words.approve}
              </Button>
              {words.reject && (
                <Button danger onClick={() => void submit('reject')} data-testid="reject">
                  {words.reject}
                </Button>
              )}
              {words.return && (
                <Button onClick={() => void submit('return')} data-testid="return">
                  {words.return}
                </Button>
              )}
            </Space>
          </Form>
        )}
      </PageState>
    </Drawer>
  );
}
