// lbx-forward LISTEN TARGET: copies TCP connections from LISTEN to TARGET, both ways. The k3s
// fixture's server runs it on the master host so that https://<master>:6443, the address k3s
// would serve, reaches the test bed's kube-apiserver (test/installer/k3s-fixture/README.md).
package main

import (
	"io"
	"log"
	"net"
	"os"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: lbx-forward LISTEN_ADDR TARGET_ADDR")
	}
	listener, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	for {
		client, err := listener.Accept()
		if err != nil {
			log.Print(err)
			time.Sleep(100 * time.Millisecond) // accept errors (fd limits) must not spin
			continue
		}
		go forward(client, os.Args[2])
	}
}

func forward(client net.Conn, target string) {
	defer client.Close()
	upstream, err := net.DialTimeout("tcp", target, 10*time.Second)
	if err != nil {
		log.Print(err)
		return
	}
	defer upstream.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(upstream, client); upstream.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(client, upstream); client.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
}
