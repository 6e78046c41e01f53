/** The HTTP gateway: routes of SPEC section 5 over the coordinator's event-bus API. */
package io.mastermind.gateway;
