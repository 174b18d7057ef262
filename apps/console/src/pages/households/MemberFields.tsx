import { Form, Input, Select, type FormInstance } from 'antd';
import {
  Education,
  Health,
  ID_NUMBER_PROBLEM_LABELS,
  idNumberBirthDate,
  idNumberProblem,
  idNumberSex,
  LabourCapacity,
  normalizeIdNumber,
  Relation,
  Sex,
} from '@jingzhun/domain';

const opts = (t: { codes: readonly string[]; labels: Record<string, string> }) =>
  t.codes.map((c) => ({ value: c, label: t.labels[c] }));

/**
 * One member's fields. The ID number is checked as it is typed with libs/domain's GB 11643 check
 * (the API runs the same function), and fills the birth date and sex.
 */
export function MemberFields({
  form,
  prefix,
  absolute = prefix,
  headOnly,
}: {
  form: FormInstance;
  prefix: (string | number)[];
  absolute?: (string | number)[];
  headOnly?: boolean;
}) {
  // Inside a Form.List the items' names are relative to the list; setFieldValue needs the full path.
  const name = (f: string) => [...prefix, f];
  const path = (f: string) => [...absolute, f];
  return (
    <>
      <Form.Item name={name('name')} label="姓名" rules={[{ required: true, message: '姓名不能为空' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item
        name={name('idNumber')}
        label="身份证号"
        validateTrigger="onChange"
        rules={[
          { required: true, message: '请填写身份证号' },
          {
            validator: (_, raw: string) => {
              if (!raw) return Promise.resolve();
              const problem = idNumberProblem(raw);
              return problem ? Promise.reject(new Error(ID_NUMBER_PROBLEM_LABELS[problem])) : Promise.resolve();
            },
          },
        ]}
      >
        <Input
          maxLength={20}
          autoComplete="off"
          onChange={(e) => {
            const id = normalizeIdNumber(e.target.value);
            if (idNumberProblem(id) === null) {
              form.setFieldValue(path('sex'), idNumberSex(id));
              form.setFieldValue(path('birthDate'), idNumberBirthDate(id)!.toISOString().slice(0, 10));
            }
          }}
        />
      </Form.Item>
      <Form.Item name={name('birthDate')} label="出生日期 (由身份证号得出)">
        <Input disabled />
      </Form.Item>
      <Form.Item name={name('sex')} label="性别 (由身份证号得出)">
        <Select disabled options={opts(Sex)} />
      </Form.Item>
      <Form.Item
        name={name('relation')}
        label="与户主关系"
        initialValue={headOnly ? 'HEAD' : undefined}
        rules={[{ required: true, message: '请选择与户主关系' }]}
      >
        <Select options={opts(Relation)} disabled={headOnly} />
      </Form.Item>
      <Form.Item name={name('education')} label="文化程度">
        <Select allowClear options={opts(Education)} />
      </Form.Item>
      <Form.Item name={name('health')} label="健康状况" initialValue="HEALTHY">
        <Select options={opts(Health)} />
      </Form.Item>
      <Form.Item name={name('labourCapacity')} label="劳动能力" initialValue="NORMAL">
        <Select options={opts(LabourCapacity)} />
      </Form.Item>
    </>
  );
}
