package reporting

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
)

// copyFlush is how much of a copied answer is held before it is written.
const copyFlush = 32 << 10

// Copy copies an answer of report r (AccessSession, AccessSessionListing,
// AccessSessionSummary or Team) from src to dst as the appliance sent it,
// reading it token by token with the decoders' checks and limits: an
// element larger than the limits, an answer cut before its list closes,
// an lsid that is not 32 lower-case hex digits and an <error>, at the
// root or inside the list, are errors as they are for the decoders. The
// caller drops what was written then. A "no results" answer is written
// as the empty list the guide describes. Items are written whole, a few at
// a time, each Write to dst ending on an item's end; Copy returns the
// number of items written. What follows the list element is not copied.
func Copy(dst io.Writer, src io.Reader, r Report, o Options) (int, error) {
	l, ok := lists[r]
	if !ok {
		return 0, fmt.Errorf("%s is not a report that lists elements", Quote(string(r)))
	}
	c := &copier{dc: newDecoder(src, o, l), dst: dst}
	c.dc.cr.tee = &c.buf
	return c.run()
}

type copier struct {
	dc      *decoder
	dst     io.Writer
	buf     bytes.Buffer // read, not yet written
	held    int          // items in buf
	written int          // items written to dst
}

// flush writes what was read when there is enough of it (or all when
// force), so that memory holds one buffer, not the answer.
func (c *copier) flush(force bool) error {
	if c.buf.Len() == 0 || (!force && c.buf.Len() < copyFlush) {
		return nil
	}
	_, err := c.dst.Write(c.buf.Bytes())
	c.buf.Reset()
	if err == nil {
		c.written, c.held = c.written+c.held, 0
	}
	return err
}

func (c *copier) run() (int, error) {
	dc := c.dc
	ok, err := dc.root()
	if !ok {
		if err != nil {
			return 0, err
		}
		// No results: the empty list, in place of the appliance's error.
		_, err := fmt.Fprintf(c.dst, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s/>\n", dc.l.root)
		return 0, err
	}
	for {
		se, ok, err := dc.next(c.written + c.held)
		if err != nil {
			return c.written, err
		}
		if !ok {
			c.buf.WriteByte('\n')
			err := c.flush(true)
			return c.written, err
		}
		switch se.Name.Local {
		case dc.l.item:
			id := attr(se, dc.l.idAttr)
			if dc.l.lsids {
				if err := CheckLSID(id); err != nil {
					return c.written, fmt.Errorf("<%s> refused: %w", dc.l.item, err)
				}
			}
			if err := c.element(); err != nil {
				return c.written, dc.itemError(err, id)
			}
			c.held++
		case "error":
			if err := dc.apiError(se, true); err != nil {
				return c.written, err
			}
		default:
			if err := c.element(); err != nil {
				return c.written, dc.wrap(err, se.Name.Local, "", "reading <%s>", Clip(se.Name.Local))
			}
		}
		if err := c.flush(false); err != nil {
			return c.written, err
		}
	}
}

// element reads the rest of an element whose start was read, within the
// step's limits. It is written once whole, so that a failure never leaves
// half an element on a stream that cannot be taken back.
func (c *copier) element() error {
	for depth := 1; depth > 0; {
		tok, err := c.dc.d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}
