/**
 * File output shared by every writer of the project: atomic replacement (temporary file, fsync, rename), and removing
 * a folder tree.
 */
package org.unicom4j.data.io;
