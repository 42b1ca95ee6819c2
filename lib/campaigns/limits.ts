// WeChat: a text mass message may be up to 2 048 bytes? The official text does not say; the web
// backend allows 600 characters for a text mass message, and WeChat's API refuses over-long
// bodies with 45002. qunfa keeps to 600 characters, the stricter of the two (chosen reading).
// (Apart from the schemas: the compose form shows it without loading zod.)
export const TEXT_MAX = 600;
