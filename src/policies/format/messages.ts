import { defineMessages, translate, type KeysOf, type Locale } from '../../core/i18n.js';

/**
 * Texts of the problems an imported policy file can have, one per problem code, under
 * `policies.problem.<code>`. Placeholders are the names of the problem's `detail`, so the texts
 * also read right when a caller fills them from the detail alone; a formula problem's `column` is
 * its `position` counted from 1, as an editor shows it.
 */
export const policyFormatMessages = defineMessages(
  {
    // The file's shape
    'policies.problem.unsupportedFormat': '文件格式标记应为 “{expected}”。',
    'policies.problem.required': '缺少必填项。',
    'policies.problem.unexpectedProperty': '这里不能有这一项（可能是拼写错误）。',
    'policies.problem.badName': '名称不符合规则（{pattern}）。',
    'policies.problem.wrongType': '值的类型不对，应为 {expected}。',
    'policies.problem.tooShort': '内容太短，至少 {limit} 个字符。',
    'policies.problem.tooLong': '内容太长，最多 {limit} 个字符。',
    'policies.problem.tooFew': '至少需要 {limit} 项。',
    'policies.problem.tooMany': '最多 {limit} 项。',
    'policies.problem.pattern': '格式不对（应符合 {pattern}）。',
    'policies.problem.notAllowed': '不是允许的取值，可选：{allowed}。',
    'policies.problem.format': '不是有效的 {format}。',
    'policies.problem.duplicateItem': '与第 {other} 项重复。',
    'policies.problem.invalid': '值无效。',
    // Meaning
    'policies.problem.duplicateCode': '政策编码与 {firstPath} 重复，编码在文件中必须唯一。',
    'policies.problem.reservedCode': '“{code}”是平台页面使用的名称，不能用作政策编码。',
    'policies.problem.duplicateFact': '信息项与 {firstPath} 重名。',
    'policies.problem.factNameTaken': '“{name}”是内置的企业信息项，自定义信息项不能用这个名称。',
    'policies.problem.parameterNameTaken': '参数名“{name}”与企业信息项同名，公式中无法区分，请换一个名称。',
    'policies.problem.unknownRegion': '没有这个行政区划代码（GB/T 2260）。',
    'policies.problem.badDate': '不是有效日期（YYYY-MM-DD）。',
    'policies.problem.badPeriod': '结束日期 {to} 早于开始日期 {from}。',
    // Eligibility rules
    'policies.problem.shape': '条件的结构不对：应为 all、any、not 之一，或由 fact、op、value（可加 label）组成的条件。',
    'policies.problem.emptyGroup': '条件组不能为空。',
    'policies.problem.unknownFact': '没有这个企业信息项；可用内置信息项，或在文件的 facts 中声明。',
    'policies.problem.unknownOperator': '没有这个运算符。',
    'policies.problem.operatorNotForFact': '这个运算符不能用于该信息项的类型。',
    'policies.problem.wrongValueType': '值的类型与该信息项不符。',
    'policies.problem.unknownIndustry': '没有这个行业代码（GB/T 4754）。',
    'policies.problem.badRange': '区间应为 [下限, 上限]，且下限不大于上限。',
    'policies.problem.badLabel': '说明文字应同时有中文（zh-CN）和英文（en）。',
    // Benefit formulas
    'policies.problem.unexpectedToken': '公式第 {column} 个字符处不应出现 “{token}”。',
    'policies.problem.unexpectedEnd': '公式在第 {column} 个字符处意外结束（缺少数字、名称或右括号）。',
    'policies.problem.unknownFunction': '公式第 {column} 个字符处：没有函数 “{name}”，只能用 min 和 max。',
    'policies.problem.unknownIdentifier': '公式第 {column} 个字符处：“{name}”既不是数值型企业信息项，也不是本政策的参数。',
    'policies.problem.divisionByZero': '公式第 {column} 个字符处的除数为零。',
    'policies.problem.divisionByZeroParameter': '公式第 {column} 个字符处的除数在 {region} 的参数取值下为零。',
    'policies.problem.numberOutOfRange': '公式第 {column} 个字符处的数字太大。',
    'policies.problem.tooDeep': '公式嵌套太深（最多 {limit} 层）。',
    'policies.problem.ruleTooDeep': '条件嵌套太深（最多 {limit} 层），请拆分或简化规则。',
    'policies.problem.ruleTooLarge': '规则的条件太多（最多 {limit} 个），请简化规则。',
    'policies.problem.tooManyValues': '列出的值太多（最多 {limit} 个）。',
    // Examples
    'policies.problem.exampleMismatch': '示例预期为 {expected}，按规则实际为 {actual}。',
    // Checked at publication
    'policies.problem.tooFewExamples': '发布前至少需要 {minimum} 个示例企业。',
    'policies.problem.serviceItemRequired': '需申请的政策必须关联办理的服务事项。',
    'policies.problem.serviceItemUnknown': '服务事项 {item} 不存在或未发布。',
    'policies.problem.selfDeclaredFactInAutomatic': '免申即享的政策只能使用权威来源的信息，“{fact}”是企业自行申报的。',
    'policies.problem.declaredFactConflict': '信息项 “{fact}” 已有不同的定义。',
    'policies.problem.region.default': '默认值',
  },
  {
    'policies.problem.unsupportedFormat': 'The format tag must be "{expected}".',
    'policies.problem.required': 'This is required.',
    'policies.problem.unexpectedProperty': 'This field is not part of the format (a misspelling?).',
    'policies.problem.badName': 'The name does not follow the rule ({pattern}).',
    'policies.problem.wrongType': 'The value has the wrong type; expected {expected}.',
    'policies.problem.tooShort': 'Too short: at least {limit} characters.',
    'policies.problem.tooLong': 'Too long: at most {limit} characters.',
    'policies.problem.tooFew': 'At least {limit} item(s) are needed.',
    'policies.problem.tooMany': 'At most {limit} items.',
    'policies.problem.pattern': 'Wrong format (must match {pattern}).',
    'policies.problem.notAllowed': 'Not an allowed value; choose one of: {allowed}.',
    'policies.problem.format': 'Not a valid {format}.',
    'policies.problem.duplicateItem': 'The same as item {other}.',
    'policies.problem.invalid': 'The value is not valid.',
    'policies.problem.duplicateCode': 'The policy code is also used at {firstPath}; codes must be unique in a file.',
    'policies.problem.reservedCode': '"{code}" names a page of the platform and cannot be a policy code.',
    'policies.problem.duplicateFact': 'A fact of this name is already declared at {firstPath}.',
    'policies.problem.factNameTaken': '"{name}" is a built-in fact; a declared fact needs another name.',
    'policies.problem.parameterNameTaken': 'The parameter "{name}" has the name of a fact, so a formula could not tell them apart; rename it.',
    'policies.problem.unknownRegion': 'There is no such region code (GB/T 2260).',
    'policies.problem.badDate': 'Not a valid date (YYYY-MM-DD).',
    'policies.problem.badPeriod': 'The end date {to} is before the start date {from}.',
    'policies.problem.shape': 'A condition must be all, any or not, or a test made of fact, op and value (and optionally label).',
    'policies.problem.emptyGroup': 'A group of conditions cannot be empty.',
    'policies.problem.unknownFact': 'There is no such fact; use a built-in fact or declare it in the file\'s "facts".',
    'policies.problem.unknownOperator': 'There is no such operator.',
    'policies.problem.operatorNotForFact': 'This operator does not apply to facts of this type.',
    'policies.problem.wrongValueType': 'The value does not fit the type of the fact.',
    'policies.problem.unknownIndustry': 'There is no such industry code (GB/T 4754).',
    'policies.problem.badRange': 'A range is [low, high] with low not above high.',
    'policies.problem.badLabel': 'A label needs both Chinese (zh-CN) and English (en) text.',
    'policies.problem.unexpectedToken': 'Unexpected "{token}" at character {column} of the formula.',
    'policies.problem.unexpectedEnd': 'The formula ends too early at character {column} (a number, name or closing parenthesis is missing).',
    'policies.problem.unknownFunction': 'At character {column} of the formula: there is no function "{name}"; only min and max exist.',
    'policies.problem.unknownIdentifier': 'At character {column} of the formula: "{name}" is neither a numeric fact nor a parameter of this policy.',
    'policies.problem.divisionByZero': 'The divisor at character {column} of the formula is zero.',
    'policies.problem.divisionByZeroParameter': 'The divisor at character {column} of the formula is zero with the parameter values of {region}.',
    'policies.problem.numberOutOfRange': 'The number at character {column} of the formula is too large.',
    'policies.problem.tooDeep': 'The formula is nested too deeply (at most {limit} levels).',
    'policies.problem.ruleTooDeep': 'The conditions are nested too deeply (at most {limit} levels); split or simplify the rule.',
    'policies.problem.ruleTooLarge': 'The rule has too many conditions (at most {limit}); simplify it.',
    'policies.problem.tooManyValues': 'Too many values are listed (at most {limit}).',
    'policies.problem.exampleMismatch': 'The example expects {expected}, but the rule gives {actual}.',
    'policies.problem.tooFewExamples': 'At least {minimum} example enterprises are needed before publication.',
    'policies.problem.serviceItemRequired': 'A policy claimed by application needs the service item through which it is claimed.',
    'policies.problem.serviceItemUnknown': 'The service item {item} does not exist or is not published.',
    'policies.problem.selfDeclaredFactInAutomatic': 'A policy granted without application may only use facts from an authoritative source; "{fact}" is declared by the enterprise itself.',
    'policies.problem.declaredFactConflict': 'The fact "{fact}" is already declared differently.',
    'policies.problem.region.default': 'the defaults',
  },
);

declare module '../../core/i18n.js' {
  interface MessageKeys extends KeysOf<typeof policyFormatMessages> {}
}

export interface DescribableProblem {
  code: string;
  detail?: Record<string, unknown>;
}

function asText(value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => asText(item)).join(', ');
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value);
}

/** A problem of an imported file as a sentence in the reader's language. */
export function describeImportProblem(problem: DescribableProblem, locale: Locale): string {
  const detail = problem.detail ?? {};
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(detail)) params[name] = asText(value);
  let key = `policies.problem.${problem.code}`;
  if (problem.code === 'divisionByZero' && typeof detail.region === 'string') {
    key = 'policies.problem.divisionByZeroParameter';
    if (detail.region === 'default') params.region = translate(locale, 'policies.problem.region.default');
  }
  return translate(locale, key, params);
}
