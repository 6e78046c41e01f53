/** The node: command line, configuration and the composition root that deploys each role. */
package io.mastermind.node;
