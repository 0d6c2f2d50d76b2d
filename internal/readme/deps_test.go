package readme

// The commands TestReadmeExamples builds are made of these packages.
// Importing them here makes go test compile them before this test runs, so
// that on an empty build cache the test's own go build finds them in the
// cache instead of compiling SQLite and the rest a second time, in
// parallel with go test.
import (
	_ "github.com/brcs-toolkit/brcs/appliance/reporting/export"
	_ "github.com/brcs-toolkit/brcs/appliancetest"
	_ "github.com/brcs-toolkit/brcs/archive"
	_ "github.com/brcs-toolkit/brcs/gen"
	_ "github.com/brcs-toolkit/brcs/internal/cliutil"
	_ "github.com/brcs-toolkit/brcs/launcher"
	_ "github.com/brcs-toolkit/brcs/lint"
	_ "github.com/brcs-toolkit/brcs/report"
)
