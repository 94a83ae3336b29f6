# The two commands the README starts with, and a few more for the test bed.
SHELL := /bin/bash

.PHONY: up test down status toolchain images service-images

## up: the test bed (or KUBECONFIG's cluster), the images, `helm upgrade --install`, shown working
up:
	hack/up.sh

## test: the whole suite on a freshly started test bed, torn down afterwards
test:
	hack/test.sh

## down: stop everything `make up` started and leave nothing behind
down:
	hack/down.sh

status:
	hack/cluster.sh status

toolchain:
	hack/toolchain/install.sh

images: toolchain
	hack/images/build.sh

## service-images: the api, gateway and controller images (Jib, no Docker) in the test bed's registry
service-images:
	hack/images/services.sh $(TAG)
