// Package brcs reads, checks, fixes and writes BRCS scripts: the files
// (BRCS1.0, then one command a line) and single commands that
// BeyondTrust / Bomgar access consoles run with --run-script-file and
// --run-script.
//
// The steps, each usable on its own:
//
//   - [Parse] builds a [Script] of [Command]s and [Param]s whose keys and
//     values are [Text]s: raw, decoded, with their positions (byte offset,
//     line, column counting characters). It fails only for input it refuses
//     outright (a NUL byte, more than [DefaultMaxSize] bytes, too many
//     tokens); every other mistake stays in the model for [Validate], so one
//     mistake never hides the next.
//   - [Validate] (and [Check], which parses and validates) reports
//     [Diagnostic]s: a stable rule name (see [Rules]), a severity, a span, a
//     message that says how to write it right and, where one exists, a fix as
//     non-overlapping edits, which [ApplyFixes] applies. Fixes never change a
//     decoded value.
//   - [Encode] is the canonical encoder: only A-Z a-z 0-9 - . _ ~ stay raw,
//     everything else is %XX with upper-case hex, and a space is %20, never
//     "+" (RFC 3986, not HTML forms). [Decode] is the strict decoder.
//   - [Print] gives back the exact bytes parsed; [Printer] prints
//     canonically.
//   - Templates: [Options].Template ([Mustache] or [Dollar]) treats
//     {{name}} (or ${name}) inside values as placeholders; a template is
//     clean when every literal part is right, and [Text.Fill] puts
//     canonically encoded values in.
//   - [CheckCommand] checks one command, the form --run-script takes;
//     [CheckFileName] checks a *.brcs-<site> name.
//   - [LookupProfile] ("pam-15.3", the default, "pra" or "rs") returns the
//     [Catalogue] of a product: its actions, keys, limits, enumerations and
//     the rules between keys. It is the one table the validator, the
//     generator, the documentation and shell completion read.
//
// The packages lint (brcslint's engine), gen (brcsgen's) and launcher
// (brcslaunch's) are built on this one.
package brcs
