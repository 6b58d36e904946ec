#!/usr/bin/env node
// A committed, executable file rather than dist/bin.js itself: npm marks a workspace's bin
// executable when it links it at install time, before the build has written dist/.
import '../dist/bin.js';
