package fsutil

import (
	"errors"
	"strings"

	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// CheckName checks one file name (not a path) that came from outside (a
// CSV cell, an appliance's suggested name) before anything is written
// under it. It refuses what could harm whoever lists, opens or copies the
// file: a name holding anything textsafe would escape (control, format,
// invisible characters), a separator or a character Windows refuses, a
// leading '-' (read as an option) or '.' (a dot-file, "." and ".."), a
// trailing dot or space (which Windows drops, so the name would not be
// the one checked), a reserved Windows device name (CON, NUL.flv, COM1),
// and a name longer than 255 bytes. The error says which rule and never
// quotes the name, so that callers can quote it safely.
func CheckName(name string) error {
	switch {
	case name == "":
		return errors.New("an empty name is never written")
	case len(name) > 255:
		return errors.New("a name longer than 255 bytes is never written")
	case !textsafe.Clean(name):
		return errors.New("a name holding control, format or invisible characters is never written")
	case strings.HasPrefix(name, "-"):
		return errors.New("a name starting with '-' could be read as an option")
	case strings.HasPrefix(name, "."):
		return errors.New("a name starting with '.' (a dot-file or folder) is never written")
	case strings.ContainsAny(name, `/\<>:"|?*`):
		return errors.New(`a name holding a path separator or one of < > : " | ? * is never written`)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return errors.New("a name ending in a dot or a space is never written (Windows drops them)")
	case strings.TrimSpace(name) != name:
		return errors.New("a name starting with a space is never written")
	case reservedOnWindows(name):
		return errors.New("a reserved Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension) is never written")
	}
	return nil
}

// reservedOnWindows reports whether Windows takes name for a device: the
// part before the first dot (spaces before it ignored) is CON, PRN, AUX,
// NUL, COM0-9 or LPT0-9 (superscript digits too), in any case.
func reservedOnWindows(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) >= 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		switch stem[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}
