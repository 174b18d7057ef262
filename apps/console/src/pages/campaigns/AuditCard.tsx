import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Typography, message } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { data, registry } from '../../api/http';
import { useIdempotencyKey } from '../../shared/idempotency';
import { errorText } from '../../shared/PageState';
import { fmtDate } from '../../shared/time';
import type { TownshipProblems } from './CampaignCharts';
import type { RegistryAnswer } from '../../api/views';

export type CampaignAudit = NonNullable<RegistryAnswer<'/campaigns/{id}'>['audit']>;

/**
 * 县级审核: the county's sign-off of what the townships entered and cleaned. Opened by the campaign
 * once no township owes an item, or at the cleaning window's end with what remains listed here.
 * Approving moves the campaign on to the province's feedback; returning sends the data back to the townships.
 */
export function AuditCard({
  campaignId,
  audit,
  problems,
  canDecide,
}: {
  campaignId: string;
  audit: CampaignAudit;
  problems: TownshipProblems[];
  canDecide: boolean;
}) {
  const qc = useQueryClient();
  const idem = useIdempotencyKey();
  const [comment, setComment] = useState('');
  const [needsComment, setNeedsComment] = useState(false);
  const owing = problems.filter((t) => t.open + t.rejected + t.explained > 0);
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'return') =>
      data(
        registry.POST('/tasks/{id}/decision', {
          params: { path: { id: audit.taskId }, header: { 'Idempotency-Key': idem.key() } as never },
          body: { decision, comment },
        }),
      ),
    onSuccess: async (_, decision) => {
      // The card goes with the task: the page's phase says what follows.
      void message.success(
        decision === 'approve' ? '县级审核已完成, 进入省级反馈整改' : '已退回乡镇整改, 整改后再行审核',
      );
      await qc.invalidateQueries({ queryKey: ['campaign', campaignId] });
      await qc.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError: () => idem.renew(),
  });
  const submit = (decision: 'approve' | 'return') => {
    if (decision === 'return' && !comment.trim()) return setNeedsComment(true);
    setNeedsComment(false);
    decide.mutate(decision);
  };
  return (
    <Card
      size="small"
      title={`县级审核 (至 ${fmtDate(new Date(new Date(audit.dueAt).getTime() - 1))})`}
      data-testid="audit"
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {audit.owed === 0 ? (
          <Alert type="success" showIcon title="各乡镇问题均已整改或说明, 可进行县级审核" />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={`清洗期已届满, 仍有 ${audit.owed} 条问题未整改或说明 (见下表), 审核时一并确认`}
          />
        )}
        {owing.length > 0 && (
          <Table
            rowKey="townshipCode"
            size="small"
            pagination={false}
            dataSource={owing}
            scroll={{ x: 360 }}
            columns={[
              { title: '乡镇', render: (_, t) => t.name ?? t.townshipCode },
              { title: '待整改', render: (_, t) => t.open + t.rejected },
              { title: '说明待审核', dataIndex: 'explained' },
            ]}
          />
        )}
        <Link to={`/campaigns/${campaignId}/problems`}>查看问题清单</Link>
        {canDecide && (
          <>
            <Input.TextArea
              aria-label="审核意见"
              placeholder="审核意见 (退回时必填)"
              rows={2}
              maxLength={500}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              status={needsComment ? 'error' : undefined}
            />
            {needsComment && <Typography.Text type="danger">退回乡镇整改时请填写意见</Typography.Text>}
            <Space wrap>
              <Button
                type="primary"
                loading={decide.isPending}
                onClick={() => submit('approve')}
                data-testid="approve-audit"
              >
                审核通过
              </Button>
              <Button loading={decide.isPending} onClick={() => submit('return')} data-testid="return-audit">
                退回乡镇整改
              </Button>
            </Space>
          </>
        )}
        {decide.error && <Alert type="error" showIcon title={errorText(decide.error)} />}
      </Space>
    </Card>
  );
}
