package export

import "iter"

// WriteAll writes the items of seq through w, those keep accepts (nil:
// every one), calls written after each item written (nil: nothing; a
// destination that keeps whole items only learns there where one ends),
// and closes w. It stops at the first error of seq, w or written, and
// then leaves w open: what was written is incomplete.
func WriteAll[T any](w Writer[T], seq iter.Seq2[*T, error], keep func(*T) bool, written func() error) error {
	for v, err := range seq {
		if err != nil {
			return err
		}
		if keep != nil && !keep(v) {
			continue
		}
		if err := w.Write(v); err != nil {
			return err
		}
		if written != nil {
			if err := written(); err != nil {
				return err
			}
		}
	}
	return w.Close()
}
