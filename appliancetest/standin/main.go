// Command standin runs the stand-in appliance of package appliancetest on
// a loopback address until interrupted, and writes its certificate to a
// file so that brcsgen fetch --ca-cert can trust it:
//
//	go run ./appliancetest/standin -site support -ca /tmp/standin-ca.pem
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/brcs-toolkit/brcs/appliancetest"
)

func main() {
	site := flag.String("site", "support", "company site name for generated file names")
	ca := flag.String("ca", "standin-ca.pem", "where to write the stand-in's certificate")
	flag.Parse()
	s := appliancetest.NewTLS(*site)
	defer s.Close()
	if err := os.WriteFile(*ca, s.CACertPEM(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stand-in appliance at %s (certificate in %s); Ctrl-C stops it\n", s.URL, *ca)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
}
