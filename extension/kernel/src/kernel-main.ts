// The kernel process's entry point: what host/kernel-client.ts spawns. Everything it runs lives in process/.
import { main } from "./process/main";

main();
