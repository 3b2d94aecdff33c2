/**
 * The DAX client of the roadcall examples, built from the kit's settings on
 * first use and kept for the container. It is not built at module load: the DAX
 * client starts cluster discovery in its constructor, which a warm ping does not
 * need to wait for. Example code.
 */
import { Dax } from '@amazon-dax-sdk/client-dax';
import { daxClientConfig } from '../../runtime/dax';

let client: Dax | undefined;

export function dax(): Dax {
  client ??= new Dax(daxClientConfig());
  return client;
}
