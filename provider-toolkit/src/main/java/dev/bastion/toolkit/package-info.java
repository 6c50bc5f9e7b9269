/**
 * The provider toolkit: what every provider needs and no provider should write again. A provider
 * author reads {@code dev.bastion.core.spi}, {@code dev.bastion.core.tool}, this toolkit and the
 * {@code testkit}, and nothing else.
 */
package dev.bastion.toolkit;
