#!/usr/bin/env node
import { exitQuietlyOnClosedPipe } from "@synod/exit-codes";

exitQuietlyOnClosedPipe();
await import("../dist/bin.js");
