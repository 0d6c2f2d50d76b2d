// Command brcs-standin runs the stand-in appliance of package appliancetest
// on a loopback address until interrupted, and writes its certificate to a
// file so that brcsgen fetch and brcsapi can trust it with --ca-cert:
//
//	go build -o /tmp/brcs-standin ./internal/brcs-standin
//	/tmp/brcs-standin -ca /tmp/standin-ca.pem &
//
// With -oauth FILE it acts as a current appliance (API 1.25.0, the
// beyondtrust.com/sra namespaces, API accounts only) and writes the
// full-access API account's client secret to FILE.
//
// It serves the client scripting, Command, Reporting and Backup APIs and
// the health probe, with the accounts of appliancetest.DefaultData, which
// it prints with their passwords (user "test", with the guide's example
// password "test", has every permission). It stops on SIGINT or SIGTERM,
// and when the process that started it ends, so build it and run the
// binary: then `kill` stops the server itself, not only a `go run`.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

func main() {
	listen := flag.String("listen", defaultListen(), "the loopback address to serve on (or $BRCS_STANDIN_LISTEN)")
	site := flag.String("site", "support", "company site name for generated file names")
	ca := flag.String("ca", "standin-ca.pem", "where to write the stand-in's certificate")
	version := flag.String("api-version", "1.14.0", "the API version it reports (1.13.0 has no import_jump_shortcut)")
	backup := flag.Int64("backup-size", 256<<10, "the backup's size in bytes")
	role := flag.String("failover-role", "none", "none, primary or backup")
	ns := flag.String("namespace", "seed", "namespace style of XML answers: seed, bomgar-http, beyondtrust-sra-http, beyondtrust-https or none")
	sessions := flag.Int("sessions", 0, "serve N generated sessions (one a minute from 2015-03-01) instead of the four fixture sessions")
	empty := flag.String("empty", "list", "how an empty report is answered: list (the guide), english or french (a root <error>, as real appliances)")
	oauth := flag.String("oauth", "", "act as a current appliance (API "+appliancetest.CurrentVersion+", beyondtrust.com/sra namespaces, API accounts only) and write the full-access API account's client secret to this file (0600)")
	flag.Parse()
	emptyStyles := map[string]appliancetest.EmptyStyle{"list": appliancetest.EmptyList, "english": appliancetest.RootErrorEnglish, "french": appliancetest.RootErrorFrench}
	emptyStyle, ok := emptyStyles[strings.ToLower(*empty)]
	if !ok {
		log.Fatalf("-empty %q: unknown style", *empty)
	}
	styles := map[string]appliancetest.NamespaceStyle{"seed": appliancetest.SeedNS, "bomgar-http": appliancetest.BomgarHTTP,
		"beyondtrust-sra-http": appliancetest.BeyondTrustSRAHTTP, "beyondtrust-https": appliancetest.BeyondTrustHTTPS, "none": appliancetest.NoNS}
	style, ok := styles[strings.ToLower(*ns)]
	if !ok {
		log.Fatalf("-namespace %q: unknown style", *ns)
	}
	if err := checkLoopback(*listen); err != nil {
		log.Fatalf("-listen %s: %v", *listen, err)
	}
	s, err := appliancetest.NewTLSAt(*site, *listen)
	if err != nil {
		log.Fatalf("cannot serve on %s: %v (choose another address with -listen 127.0.0.1:PORT)", *listen, err)
	}
	defer s.Close()
	s.Update(func(d *appliancetest.Data) {
		d.APIVersion, d.BackupSize, d.Health.FailoverRole, d.Namespace = *version, *backup, *role, style
		d.Reports.Empty = emptyStyle
		if *sessions > 0 {
			d.Reports.Generated = &appliancetest.Generated{N: *sessions, Start: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Step: time.Minute, Events: 10}
		}
	})
	if *oauth != "" {
		s.Update(func(d *appliancetest.Data) {
			d.APIVersion, d.Namespace, d.UserAccountsOff = appliancetest.CurrentVersion, appliancetest.BeyondTrustSRAHTTP, true
		})
		if err := os.WriteFile(*oauth, []byte(appliancetest.FullClientSecret+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	// The certificate last: scripts wait for it, and find the rest ready.
	// Atomically, and never through a link: the README's certificate is
	// in /tmp, which other users share.
	if err := fsutil.WriteFileAtomic(*ca, s.CACertPEM(), 0o644); err != nil {
		log.Fatalf("cannot write the certificate: %v", err)
	}
	ctx, stop := untilStopped()
	defer stop()
	keepSynced(ctx, s)
	fmt.Printf("stand-in appliance at %s (certificate in %s)\n", s.URL, *ca)
	printAccounts(os.Stdout, s)
	if *oauth != "" {
		fmt.Printf("API account: client id %s, client secret in %s (every permission); user accounts are refused\n", appliancetest.FullClient, *oauth)
	}
	fmt.Println("kill, Ctrl-C or the end of the process that started it stops it")
	<-ctx.Done()
}

// defaultListen is the address the README's walkthroughs use, unless the
// environment names another (the README's tests choose a free port).
func defaultListen() string {
	if a := os.Getenv("BRCS_STANDIN_LISTEN"); a != "" {
		return a
	}
	return "127.0.0.1:9443"
}

// checkLoopback refuses an address that is not on loopback: the stand-in
// prints its accounts and their passwords, and serves them to whoever
// reaches it.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return errors.New("the stand-in serves on a loopback address only (127.0.0.1:PORT or [::1]:PORT), since its accounts' passwords are public")
}
