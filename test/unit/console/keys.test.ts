// Key chords and Type Text as RFB key events.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeyChord } from '../../../client/src/console/protocol';
import { KEY_CHORD_MENU as CHORD_MENU } from '../../../client/src/console/protocol';
import { CHORDS, chordStrokes, describeCharacter, isKeyChord, KEYSYM, planTyping, type KeyStroke } from '../../../client/src/console/webview/keys';

const show = (strokes: KeyStroke[]) => strokes.map((s) => `${s.down ? '+' : '-'}${s.code}`).join(' ');

describe('key chords', () => {
  test('the Send Key menu offers every chord of the protocol once', () => {
    assert.equal(new Set(CHORD_MENU).size, CHORD_MENU.length);
    assert.deepEqual([...CHORD_MENU].sort(), Object.keys(CHORDS).sort());
    // The list: Ctrl+Alt+F1…F12, PrintScreen, and the chords VS Code keeps for itself.
    const required: KeyChord[] = ['ctrl-alt-del', 'print-screen', 'ctrl-alt-backspace', 'alt-tab', 'alt-f4', 'escape', 'tab', 'ctrl-c', 'ctrl-d', 'ctrl-w', 'ctrl-p', 'ctrl-n', 'ctrl-t', 'super'];
    for (let n = 1; n <= 12; n++) required.push(`ctrl-alt-f${n}` as KeyChord);
    for (const chord of required) assert.ok(CHORD_MENU.includes(chord), chord);
  });
  test('keys go down in order and come up in the reverse order', () => {
    assert.equal(show(chordStrokes('ctrl-alt-del')), '+ControlLeft +AltLeft +Delete -Delete -AltLeft -ControlLeft');
    assert.equal(show(chordStrokes('ctrl-alt-f2')), '+ControlLeft +AltLeft +F2 -F2 -AltLeft -ControlLeft');
    assert.equal(show(chordStrokes('print-screen')), '+PrintScreen -PrintScreen');
    assert.equal(show(chordStrokes('ctrl-c')), '+ControlLeft +KeyC -KeyC -ControlLeft');
    assert.equal(show(chordStrokes('super')), '+MetaLeft -MetaLeft');
  });
  test('keysyms are the X11 ones', () => {
    const [ctrl, alt, del] = chordStrokes('ctrl-alt-del');
    assert.deepEqual([ctrl.keysym, alt.keysym, del.keysym], [0xffe3, 0xffe9, 0xffff]);
    assert.equal(chordStrokes('ctrl-alt-f1')[2].keysym, 0xffbe);
    assert.equal(chordStrokes('ctrl-alt-f12')[2].keysym, 0xffc9);
    assert.equal(chordStrokes('ctrl-alt-f12')[2].code, 'F12');
    assert.equal(chordStrokes('alt-f4')[1].keysym, 0xffc1);
    assert.equal(chordStrokes('ctrl-t')[1].keysym, 't'.charCodeAt(0));
    assert.equal(chordStrokes('print-screen')[0].keysym, KEYSYM.Print);
  });
  test('isKeyChord accepts the chords only', () => {
    assert.ok(isKeyChord('ctrl-alt-f7'));
    for (const value of ['ctrl-alt-f13', 'toString', '__proto__', 'CTRL-ALT-DEL', 3, undefined]) assert.equal(isKeyChord(value), false, String(value));
  });
});

describe('Type Text', () => {
  test('lower case, upper case with Shift, digits and shifted punctuation (US layout)', () => {
    const plan = planTyping('aZ1!');
    assert.deepEqual(plan.untypable, []);
    assert.deepEqual(plan.characters.map(show), ['+KeyA -KeyA', '+ShiftLeft +KeyZ -KeyZ -ShiftLeft', '+Digit1 -Digit1', '+ShiftLeft +Digit1 -Digit1 -ShiftLeft']);
    assert.equal(plan.characters[1][1].keysym, 'Z'.charCodeAt(0));
    assert.equal(plan.characters[3][1].keysym, '!'.charCodeAt(0));
  });
  test('every printable ASCII character can be typed, Shift exactly for the shifted ones', () => {
    const shifted = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    for (let c = 0x20; c < 0x7f; c++) {
      const char = String.fromCharCode(c);
      const plan = planTyping(char);
      assert.deepEqual(plan.untypable, [], char);
      const strokes = plan.characters[0];
      assert.equal(strokes.length, shifted.has(char) ? 4 : 2, char);
      assert.equal(strokes.some((s) => s.code === 'ShiftLeft'), shifted.has(char), char);
      const key = strokes.find((s) => s.code !== 'ShiftLeft')!;
      assert.equal(key.keysym, c, `${char}: the keysym of a Latin-1 character is its code`);
    }
  });
  test('newlines (LF, CRLF, CR) become Enter, tabs Tab', () => {
    assert.deepEqual(planTyping('a\nb\r\nc\rd\t').characters.map(show), ['+KeyA -KeyA', '+Enter -Enter', '+KeyB -KeyB', '+Enter -Enter', '+KeyC -KeyC', '+Enter -Enter', '+KeyD -KeyD', '+Tab -Tab']);
    assert.equal(planTyping('\n').characters[0][0].keysym, 0xff0d);
  });
  test('a text with characters no US key types plans nothing and names them, each once', () => {
    const plan = planTyping('naïve café ï€\u0007');
    assert.deepEqual(plan.characters, []);
    assert.deepEqual(plan.untypable, ['ï', 'é', '€', '\u0007']);
    assert.deepEqual(planTyping('😀').untypable, ['😀'], 'by code point, not UTF-16 unit');
  });
  test('the empty text types nothing', () => {
    assert.deepEqual(planTyping(''), { characters: [], untypable: [] });
  });
  test('characters are described for the status line', () => {
    assert.equal(describeCharacter('é'), '"é" (U+00E9)');
    assert.equal(describeCharacter('\u0007'), 'U+0007');
    assert.equal(describeCharacter('\u00a0'), 'U+00A0');
    assert.equal(describeCharacter('\u200b'), 'U+200B');
    assert.equal(describeCharacter('😀'), '"😀" (U+1F600)');
  });
});
