/** The resource ledger: pure Java, no Vert.x. What each node has and what its running tasks hold. */
package io.mastermind.resources;
