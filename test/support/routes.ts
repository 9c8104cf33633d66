import { RequestMethod } from '@nestjs/common';
import {
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getMetadataStorage } from 'class-validator';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/common/access/access.decorators';
import type { Role } from '../../src/common/access/role';

/** One route of the app, read from the controllers' own metadata. */
export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/api/v1/campaigns/:id/contacts`. */
  path: string;
  api: boolean;
  public: boolean;
  /** Undefined: any signed-in role (but an integration only where named). */
  roles: Role[] | undefined;
  sse: boolean;
  /** The body's DTO class, when the handler takes a typed `@Body()`. */
  bodyType: (new () => object) | undefined;
  takesBody: boolean;
  /** Query parameters the route declares (`@ApiQuery`, `@Query('x')`, a query DTO's fields). */
  queryParams: string[];
  controller: string;
  handler: string;
}

const METHODS: Partial<Record<RequestMethod, RouteInfo['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

function joinPath(...parts: Array<string | string[] | undefined>): string {
  const segments = parts
    .map((p) => (Array.isArray(p) ? (p[0] ?? '') : (p ?? '')))
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '');
  return `/${segments.join('/')}`;
}

/** The fields class-validator knows on a DTO class (its own and inherited). */
export function dtoFields(type: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** Fields whose null is meaningful (clears a value): `@IsOptional()` rather than omittable. */
export function nullableFields(type: new () => object): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return new Set(metadata.filter((m) => m.name === 'isOptional').map((m) => m.propertyName));
}

/** Every route of every controller, from the metadata Nest routes by. */
export function appRoutes(app: NestExpressApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    const metatype = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
    if (!instance || !metatype) continue;
    const base = Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined;
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
      const handler = instance[name] as object;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (sub === undefined || verb === undefined) continue;
      const method = METHODS[verb];
      if (!method) continue;
      const path = joinPath(base, sub);
      const roles = (Reflect.getMetadata(ROLES_KEY, handler) ??
        Reflect.getMetadata(ROLES_KEY, metatype)) as Role[] | undefined;
      const isPublic = Boolean(
        Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, metatype),
      );
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<
        string,
        { index: number; data?: unknown }
      >;
      const types = (Reflect.getMetadata('design:paramtypes', instance, name) ?? []) as unknown[];
      let bodyType: RouteInfo['bodyType'];
      let takesBody = false;
      const queryParams = new Set<string>();
      for (const [key, arg] of Object.entries(args)) {
        const kind = Number(key.split(':')[0]) as RouteParamtypes;
        const type = types[arg.index];
        if (kind === RouteParamtypes.BODY) {
          takesBody = true;
          if (typeof type === 'function' && type !== Object && dtoFields(type as never).length) {
            bodyType = type as new () => object;
          }
        }
        if (kind === RouteParamtypes.QUERY) {
          if (typeof arg.data === 'string') queryParams.add(arg.data);
          else if (typeof type === 'function' && type !== Object) {
            for (const field of dtoFields(type as never)) queryParams.add(field);
          }
        }
      }
      const swagger = (Reflect.getMetadata('swagger/apiParameters', handler) ?? []) as Array<{
        in?: string;
        name?: string;
      }>;
      for (const p of swagger) if (p.in === 'query' && p.name) queryParams.add(p.name);
      routes.push({
        method,
        path,
        api: path.startsWith('/api/'),
        public: isPublic,
        roles,
        sse: Boolean(Reflect.getMetadata(SSE_METADATA, handler)),
        bodyType,
        takesBody,
        queryParams: [...queryParams],
        controller: metatype.name,
        handler: name,
      });
    }
  }
  return routes;
}
