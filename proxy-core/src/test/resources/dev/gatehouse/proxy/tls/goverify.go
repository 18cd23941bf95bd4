// A TLS client with Go's crypto/x509 verification, for LeafVerificationIT:
//   goverify CA_PEM PORT SERVER_NAME
// prints "OK <alpn>" or "REJECTED <why>"; connects to 127.0.0.1 only.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	pem, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		fmt.Println("ERROR no certificate in", os.Args[1])
		os.Exit(2)
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", os.Args[2]), 10*time.Second)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	c := tls.Client(conn, &tls.Config{
		RootCAs:    pool,
		ServerName: os.Args[3],
		NextProtos: []string{"h2", "http/1.1"},
	})
	if err := c.Handshake(); err != nil {
		fmt.Println("REJECTED", err)
		return
	}
	fmt.Println("OK", c.ConnectionState().NegotiatedProtocol)
}
