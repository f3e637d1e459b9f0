/** The spatial template's levels, innermost first (`buildSpatial` always builds these three). */
export const RF = 0;
export const GLB = 1;
export const DRAM = 2;
