// htm bound to Preact: templates are tagged literals, and every interpolated value is escaped text, never markup.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
