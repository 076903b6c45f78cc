import { describe, expect, it } from '@jest/globals';
import { renderOrRaw, renderPriority, renderTemplate } from './render-template.js';

describe('renderOrRaw', () => {
  // The first block mirrors OKG's pkg/util/template_test.go (probe result "42").
  const cases: [string, string, string, string][] = [
    ['no template syntax', 'static-value', '42', 'static-value'],
    ['simple result substitution', '{{.Result}}', '42', '42'],
    ['result in string', 'player-count-{{.Result}}', '42', 'player-count-42'],
    ['conditional eq', '{{if eq .Result "42"}}high{{else}}low{{end}}', '42', 'high'],
    ['conditional ne', '{{if ne .Result "0"}}active{{else}}empty{{end}}', '42', 'active'],
    ['conditional gt', '{{if gt .Result "40"}}high-load{{else}}normal{{end}}', '42', 'high-load'],
    ['conditional lt', '{{if lt .Result "50"}}ok{{else}}critical{{end}}', '42', 'ok'],
    ['invalid field returns the original', '{{.InvalidField}}', '42', '{{.InvalidField}}'],
    ['empty result', 'value-{{.Result}}', '', 'value-'],
    ['numeric comparison', '{{if gt .Result "100"}}big{{else}}small{{end}}', '150', 'big'],
    ['string comparison fallback', '{{if gt .Result "abc"}}yes{{else}}no{{end}}', 'xyz', 'yes'],
    // OKG docs examples.
    ['opsState by player count, empty', '{{if eq .Result "0"}}WaitToBeDeleted{{else}}None{{end}}', '0', 'WaitToBeDeleted'],
    ['opsState by player count, busy', '{{if eq .Result "0"}}WaitToBeDeleted{{else}}None{{end}}', '12', 'None'],
    ['else-if chain, critical', '{{if gt .Result "90"}}critical{{else if gt .Result "70"}}warning{{else}}normal{{end}}', '95', 'critical'],
    ['else-if chain, warning', '{{if gt .Result "90"}}critical{{else if gt .Result "70"}}warning{{else}}normal{{end}}', '75', 'warning'],
    ['else-if chain, normal', '{{if gt .Result "90"}}critical{{else if gt .Result "70"}}warning{{else}}normal{{end}}', '8', 'normal'],
    ['numbers compare as numbers, not text ("9" < "10")', '{{if lt .Result "10"}}low{{else}}high{{end}}', '9', 'low'],
    ['le and ge at the boundary', '{{if le .Result "10"}}a{{end}}{{if ge .Result "10"}}b{{end}}', '10', 'ab'],
    ['eq is numeric when both parse', '{{if eq .Result "10"}}same{{else}}diff{{end}}', '10.0', 'same'],
    ['mixed number and text compare as text', '{{if lt .Result "abc"}}lt{{else}}ge{{end}}', '5', 'lt'],
    ['if without else, false', '{{if eq .Result "1"}}one{{end}}', '2', ''],
    ['plain truthiness of .Result', '{{if .Result}}has{{else}}empty{{end}}', '', 'empty'],
    ['and / or / not', '{{if and (ge .Result "10") (lt .Result "20")}}teen{{end}}{{if or (eq .Result "0") (not (lt .Result "5"))}}!{{end}}', '15', 'teen!'],
    ['number literal accepted', '{{if gt .Result 3}}many{{end}}', '4', 'many'],
    ['raw string literal', '{{if eq .Result `a"b`}}q{{end}}', 'a"b', 'q'],
    ['escaped quote and braces inside a string', '{{if eq .Result "}}\\""}}odd{{end}}', '}}"', 'odd'],
    ['spaces inside actions', '{{ if eq .Result "1" }}one{{ else }}other{{ end }}', '1', 'one'],
    ['trim markers', 'a  {{- .Result -}}  b', 'X', 'aXb'],
    ['comment', 'x{{/* ignored */}}y', '', 'xy'],
    ['printing a comparison', '{{eq .Result "1"}}', '1', 'true'],
    // Errors keep the raw string.
    ['unknown function', '{{if foo .Result}}x{{end}}', '1', '{{if foo .Result}}x{{end}}'],
    ['pipe is unsupported', '{{.Result | printf "%s"}}', '1', '{{.Result | printf "%s"}}'],
    ['variables are unsupported', '{{$x := .Result}}{{$x}}', '1', '{{$x := .Result}}{{$x}}'],
    ['missing end', '{{if eq .Result "1"}}x', '1', '{{if eq .Result "1"}}x'],
    ['unclosed action', 'a {{.Result', '1', 'a {{.Result'],
    ['stray end', 'x{{end}}', '1', 'x{{end}}'],
    ['wrong number of arguments', '{{if eq .Result}}x{{end}}', '1', '{{if eq .Result}}x{{end}}'],
    ['argument to a non-function', '{{.Result "x"}}', '1', '{{.Result "x"}}'],
    ['lt on booleans', '{{if lt true false}}x{{end}}', '1', '{{if lt true false}}x{{end}}'],
    ['range is unsupported', '{{range .Result}}x{{end}}', '1', '{{range .Result}}x{{end}}'],
  ];
  it.each(cases)('%s', (_name, template, result, expected) => {
    expect(renderOrRaw(template, result)).toBe(expected);
  });
});

describe('renderTemplate', () => {
  it('reports why a template does not render', () => {
    const rendered = renderTemplate('{{.Players}}', '1');
    expect(rendered.ok).toBe(false);
    if (!rendered.ok) {
      expect(rendered.error.name).toBe('TemplateError');
      expect(rendered.error.message).toContain('Players');
    }
  });
});

describe('renderPriority', () => {
  // OKG's template_priority_test.go cases, plus the integer and range edges.
  const cases: [string, number | string, string, number | 'invalid'][] = [
    ['simple integer result', '{{.Result}}', '42', 42],
    ['conditional, true case', '{{if eq .Result "0"}}1{{else}}100{{end}}', '0', 1],
    ['conditional, false case', '{{if eq .Result "0"}}1{{else}}100{{end}}', '50', 100],
    ['no template, direct integer', '75', 'anything', 75],
    ['no template, direct string', 'high', 'anything', 'invalid'],
    ['empty template', '', '50', 'invalid'],
    ['renders empty', '{{.Result}}', '', 'invalid'],
    ['an integer value is used as is', 7, 'x', 7],
    ['negative integers are fine', '{{.Result}}', '-3', -3],
    ['plus sign', '+5', '', 5],
    ['a float is not an integer', '{{.Result}}', '1.5', 'invalid'],
    ['spaces are not an integer', '{{.Result}}', ' 5', 'invalid'],
    ['beyond int32', '{{.Result}}', '2147483648', 'invalid'],
    ['a non-integer number value', 2.5, '', 'invalid'],
    ['broken template stays raw, which is not numeric', '{{.Nope}}', '1', 'invalid'],
  ];
  it.each(cases)('%s', (_name, value, result, expected) => {
    const rendered = renderPriority(value, result);
    if (expected === 'invalid') {
      expect(rendered.ok).toBe(false);
      if (!rendered.ok) expect(rendered.message.length).toBeGreaterThan(0);
    } else {
      expect(rendered).toEqual({ ok: true, value: expected });
    }
  });
});
