import { formatHelp, parseCommandArgs, type Command } from '../command';
import { schemaJson } from '../generated';

const usage = 'cachestack schema';

/** `cachestack schema`: the JSON Schema of the config language, as committed in schema/cachestack.schema.json. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of the config language (draft-07).',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Prints the JSON Schema (draft-07) that config files are checked against, as 2-space JSON. It is the same text as schema/cachestack.schema.json in the package.',
      'Editors that run the YAML language server complete and check a config file that starts with `# yaml-language-server: $schema=<path or URL of the schema>`.',
    ],
    options: [],
    exitCodes: [
      [0, 'The schema was printed.'],
      [2, 'Usage error (this command takes no arguments).'],
    ],
    examples: [
      ['cachestack schema > cachestack.schema.json', 'Write the schema next to your config for an editor to use.'],
      ['cachestack schema | jq .properties.handlers.description', 'Read the description of a section.'],
    ],
  }),
  async run(args, io) {
    parseCommandArgs('schema', args, {}, false);
    io.stdout(schemaJson());
    return 0;
  },
};
