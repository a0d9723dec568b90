/**
 * Signs of how loaded the server is (the machine's CPUs, the queue of SMS waiting for their
 * commit), read by what can wait, such as webhook delivery, to leave room for taking SMS in.
 */
package dev.sofy.server.load;
