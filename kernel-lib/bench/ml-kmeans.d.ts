// ml-kmeans 7 ships typings behind package "exports", which this repository's node10 resolution does not read.
declare module "ml-kmeans" {
  export function kmeans(data: number[][], k: number, options: { initialization?: number[][]; maxIterations?: number; tolerance?: number }): { clusters: number[]; centroids: number[][] };
}
